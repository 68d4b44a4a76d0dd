package dev.tailor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Who a request is counted against: the peer, or behind trusted proxies the first untrusted hop of X-Forwarded-For. */
class ClientAddressTest {

    static ClientAddress trusting(String... blocks) {
        return new ClientAddress(new WebProperties(List.of(blocks)));
    }

    static MockServerHttpRequest from(String peer, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> b = MockServerHttpRequest.get("/v1/boot/a/stable")
                .remoteAddress(new InetSocketAddress(peer, 40000));
        for (String f : forwardedFor) {
            b.header("X-Forwarded-For", f);
        }
        return b.build();
    }

    @Test
    void withoutTrustedProxies_theHeaderIsIgnored_anyoneCanSendIt() {
        assertThat(trusting().of(from("198.51.100.4", "203.0.113.9"))).hasValue("198.51.100.4");
    }

    @Test
    void aPeerNotTrusted_isTheClient_whateverItClaims() {
        assertThat(trusting("10.0.0.0/8").of(from("198.51.100.4", "203.0.113.9"))).hasValue("198.51.100.4");
    }

    @Test
    void behindATrustedEdge_theDeviceItSawIsTheClient() {
        ClientAddress edge = trusting("10.0.0.0/8");
        assertThat(edge.of(from("10.1.2.3", "203.0.113.9"))).hasValue("203.0.113.9");
        // a device that forges hops to the left of the one the edge appended still counts as itself
        assertThat(edge.of(from("10.1.2.3", "1.1.1.1, 2.2.2.2, 203.0.113.9"))).hasValue("203.0.113.9");
    }

    @Test
    void throughSeveralTrustedHops_andSeveralHeaderLines_theWalkStopsAtTheFirstUntrustedAddress() {
        ClientAddress tiers = trusting("10.0.0.0/8", "192.168.7.0/24", "fd00::/8");
        assertThat(tiers.of(from("10.0.0.1", "1.1.1.1, 203.0.113.9, 192.168.7.20", "fd00::5"))).hasValue("203.0.113.9");
        assertThat(tiers.of(from("fd00::1", "2001:db8::7"))).hasValue("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aTrustedPeerWithoutTheHeader_orWithOnlyTrustedHops_isItselfTheClient() {
        ClientAddress edge = trusting("127.0.0.1", "10.0.0.0/8");
        assertThat(edge.of(from("127.0.0.1"))).hasValue("127.0.0.1");
        assertThat(edge.of(from("127.0.0.1", "10.0.0.9"))).hasValue("10.0.0.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "example.com", "999.1.1.1", "1.2.3.4:5678", "", "[::1", "1.2.3", "::g"})
    void garbageInTheHeader_endsTheWalkAtTheLastTrustedHop_withoutALookup(String hop) {
        ClientAddress edge = trusting("10.0.0.0/8");
        assertThat(edge.of(from("10.0.0.2", "203.0.113.9, " + hop))).hasValue("10.0.0.2");
        assertThat(edge.of(from("10.0.0.2", hop + ", 10.0.0.3"))).hasValue("10.0.0.3");
    }

    @Test
    void blocksMatchByTheirPrefixBitsOnly() {
        ClientAddress odd = trusting("192.168.4.0/22");
        assertThat(odd.of(from("192.168.7.255", "203.0.113.9"))).hasValue("203.0.113.9");
        assertThat(odd.of(from("192.168.8.0", "203.0.113.9"))).hasValue("192.168.8.0");
        assertThat(trusting("0.0.0.0/0").of(from("198.51.100.4", "203.0.113.9"))).hasValue("203.0.113.9");
        // an IPv4-mapped IPv6 peer is the IPv4 address
        assertThat(trusting("127.0.0.0/8").of(from("::ffff:127.0.0.1", "203.0.113.9"))).hasValue("203.0.113.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "edge.example", "fd00::/129", "300.0.0.0/8"})
    void aBadSetting_failsAtStart_namingIt(String block) {
        assertThatThrownBy(() -> trusting(block)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tailor.web.trusted-proxies").hasMessageContaining(block.split("/")[0]);
    }
}
