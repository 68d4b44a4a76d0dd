package dev.tailor.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The catalog is read once at startup; a broken catalog stops the service instead of answering wrongly. */
@Configuration(proxyBeanMethods = false)
class TargetConfiguration {

    @Bean
    TargetCatalog targetCatalog() {
        return TargetCatalog.load();
    }
}
