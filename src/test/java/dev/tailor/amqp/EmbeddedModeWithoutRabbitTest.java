package dev.tailor.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.tailor.ApiTestBase;

/** The embedded default has no RabbitMQ: nothing may try to connect to one or report it down. */
class EmbeddedModeWithoutRabbitTest extends ApiTestBase {

    @Autowired
    ApplicationContext context;

    @Test
    void defaultDispatch_createsNoRabbitConnectionFactory_andHealthIsUp() {
        assertThat(context.getBeanNamesForType(ConnectionFactory.class)).isEmpty();
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }
}
