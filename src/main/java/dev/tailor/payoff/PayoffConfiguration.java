package dev.tailor.payoff;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.Builds;
import dev.tailor.bundle.BundleService;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.channel.ChannelService;
import dev.tailor.fingerprint.TargetResolver;
import dev.tailor.fingerprint.TargetStats;
import dev.tailor.store.BlobStore;
import tools.jackson.databind.ObjectMapper;

@Configuration(proxyBeanMethods = false)
public class PayoffConfiguration {

    /**
     * @param minGain    a rung is served under auto, and prebuilt, only when it is at least this much faster than the
     *                   rung below it (and the runs' spreads do not overlap)
     * @param runs       how many times a payoff run times each rung (in rounds over all rungs)
     * @param runTimeout the longest one timed run of the app may take
     */
    @ConfigurationProperties("tailor.payoff")
    public record PayoffProperties(@DefaultValue("1.05") double minGain, @DefaultValue("5") int runs,
                                   @DefaultValue("60s") Duration runTimeout) {
        public PayoffProperties {
            if (!(minGain >= 1.0) || Double.isInfinite(minGain)) {
                throw new IllegalArgumentException("tailor.payoff.min-gain is a factor of 1 or more, not " + minGain);
            }
            if (runs < 1 || runs > 100) {
                throw new IllegalArgumentException("tailor.payoff.runs is between 1 and 100, not " + runs);
            }
        }
    }

    @Bean
    PayoffStore payoffStore(BlobStore store, ObjectMapper json) {
        return new PayoffStore(store, json);
    }

    @Bean
    Payoffs payoffs(Builds builds, BuildDispatcher dispatcher, TargetCatalog catalog, ChannelService channels,
                    PayoffStore store, PayoffProperties props, ApplicationEventPublisher events) {
        return new Payoffs(builds, dispatcher, catalog, channels, store, props.minGain(), events);
    }

    @Bean
    Prebuilds prebuilds(Builds builds, TargetCatalog catalog, TargetStats stats, TargetResolver resolver,
                        PayoffStore store, BundleService bundles, PayoffProperties props,
                        @Value("${tailor.builds.prebuild-top:3}") int top) {
        return new Prebuilds(builds, catalog, stats, resolver, store, bundles, props.minGain(), top);
    }
}
