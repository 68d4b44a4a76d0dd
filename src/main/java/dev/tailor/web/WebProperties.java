package dev.tailor.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tailor.web.*}.
 *
 * @param trustedProxies addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}) of the
 *                       proxies and CDN edges in front of Tailor: a request whose peer is one of them is counted
 *                       against the address its {@code X-Forwarded-For} names (the nearest hop not itself trusted).
 *                       Empty (the default): the header is ignored, since anyone can send it
 */
@ConfigurationProperties("tailor.web")
public record WebProperties(@DefaultValue("") List<String> trustedProxies) {

    public WebProperties {
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
