package dev.tailor.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The address a request came from, for the limits kept per client and the audit trail: the peer of the connection,
 * unless that peer is a trusted proxy ({@code tailor.web.trusted-proxies}, e.g. the CDN edge), in which case the
 * {@code X-Forwarded-For} chain is read from its right end (the hop that proxy saw) leftwards, past every trusted hop,
 * to the first address no trusted proxy is: the client. A hop that is not an IP address ends the walk at the last
 * trusted proxy, whose word can still be believed. Never a DNS lookup.
 */
@Component
public class ClientAddress {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** One trusted block: an address and how many of its leading bits must match. */
    record Block(InetAddress network, int prefix) {

        static Block parse(String spec) {
            int slash = spec.indexOf('/');
            InetAddress address = literal(slash < 0 ? spec : spec.substring(0, slash)).orElseThrow(() ->
                    new IllegalArgumentException("tailor.web.trusted-proxies: '" + spec + "' is not an IP address or "
                            + "CIDR block (such as 10.0.0.0/8 or fd00::/8)"));
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(spec.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("tailor.web.trusted-proxies: '" + spec + "' has a prefix "
                            + "outside 0.." + bits);
                }
            }
            return new Block(address, prefix);
        }

        boolean contains(InetAddress a) {
            byte[] x = a.getAddress();
            byte[] n = network.getAddress();
            if (x.length != n.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (x[i] != n[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((x[full] ^ n[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }

    private final List<Block> trusted;

    public ClientAddress(WebProperties web) {
        this.trusted = web.trustedProxies().stream().map(Block::parse).toList();
    }

    public Optional<String> of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null || remote.getAddress() == null) {
            return Optional.empty();
        }
        InetAddress hop = remote.getAddress();
        if (trusted.isEmpty() || !isTrusted(hop)) {
            return Optional.of(hop.getHostAddress());
        }
        List<String> chain = new ArrayList<>();
        for (String header : request.getHeaders().getOrEmpty(FORWARDED_FOR)) {
            for (String part : header.split(",")) {
                chain.add(part.trim());
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<InetAddress> next = literal(chain.get(i));
            if (next.isEmpty()) {
                break; // garbage from beyond the trusted proxies: the last trusted hop is all that is known
            }
            hop = next.get();
            if (!isTrusted(hop)) {
                break;
            }
        }
        return Optional.of(hop.getHostAddress());
    }

    private boolean isTrusted(InetAddress a) {
        return trusted.stream().anyMatch(b -> b.contains(a));
    }

    /** An IP literal, IPv6 possibly in brackets; never a host name (which would be looked up). */
    static Optional<InetAddress> literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (t.isEmpty() || t.length() > 45 || !IP_LITERAL.matcher(t).matches()) {
            return Optional.empty();
        }
        if (t.indexOf(':') < 0) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty(); // not a literal to the JDK either, which would then look it up
                }
            }
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
