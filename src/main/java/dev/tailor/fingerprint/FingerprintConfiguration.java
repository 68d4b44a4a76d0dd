package dev.tailor.fingerprint;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Scheduling for {@link TargetStats#flush()}: the counts are persisted periodically, off the request path. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class FingerprintConfiguration {
}
