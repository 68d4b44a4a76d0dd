package dev.tailor.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code tailor.limits.*}.
 *
 * @param managementPerMinute   authenticated calls one token may make per minute (0: no limit)
 * @param buildsPerMinute       builds, retries and payoff runs one token may start per minute (0: no limit)
 * @param appBundles            bundles one app may hold (0: no limit)
 * @param appBytes              bytes of bundles one app may hold
 * @param waitingBootsPerClient boots one client address may have waiting for a build at once
 */
@ConfigurationProperties("tailor.limits")
public record LimitsProperties(@DefaultValue("600") int managementPerMinute, @DefaultValue("60") int buildsPerMinute,
                               @DefaultValue("1000") int appBundles, @DefaultValue("10GB") DataSize appBytes,
                               @DefaultValue("16") int waitingBootsPerClient) {
}
