package dev.tailor.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.tailor.testsupport.RabbitMqServer;

/**
 * A private RabbitMQ node from the Debian package, reached with Spring AMQP the way the AMQP dispatcher will:
 * durable queue, publisher confirms, a consumer. Closing the node must leave nothing listening.
 */
class RabbitMqBrokerTest {

    private static RabbitMqServer broker;
    private static CachingConnectionFactory connections;
    private static long bootMillis;

    @BeforeAll
    static void startBroker() {
        long start = System.nanoTime();
        broker = RabbitMqServer.start();
        bootMillis = (System.nanoTime() - start) / 1_000_000;
        connections = new CachingConnectionFactory(broker.host(), broker.port());
        connections.setUsername(RabbitMqServer.USER);
        connections.setPassword(RabbitMqServer.PASSWORD);
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    }

    @AfterAll
    static void stopBroker() {
        if (connections != null) {
            connections.destroy();
        }
        if (broker != null) {
            int amqp = broker.port();
            broker.close();
            assertThat(listening(amqp)).as("AMQP port after stop").isFalse();
            assertThat(ProcessHandle.allProcesses()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(broker.node()))
                            .orElse(false))
                    .toList()).as("processes of the stopped node").isEmpty();
        }
    }

    @Test
    void publishWithConfirms_thenConsume_deliversTheMessageOnce() throws Exception {
        System.out.println("RabbitMQ node booted in " + bootMillis + " ms");
        RabbitAdmin admin = new RabbitAdmin(connections);
        String queue = "builds.test." + UUID.randomUUID();
        admin.declareQueue(new Queue(queue, true, false, false));

        RabbitTemplate template = new RabbitTemplate(connections);
        CorrelationData confirm = new CorrelationData("m1");
        MessageProperties props = new MessageProperties();
        props.setPriority(5);
        template.send("", queue, new Message("build x86_64-v3".getBytes(StandardCharsets.UTF_8), props), confirm);
        assertThat(confirm.getFuture().get(10, TimeUnit.SECONDS).ack()).as("broker confirmed").isTrue();

        Message received = template.receive(queue, 10_000);
        assertThat(received).isNotNull();
        assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("build x86_64-v3");
        assertThat(template.receive(queue, 200)).as("delivered once").isNull();
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
