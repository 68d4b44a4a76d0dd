package dev.tailor.amqp;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.tailor.testsupport.RabbitMqServer;
import tools.jackson.databind.json.JsonMapper;

/** Connections to a test node configured as the service configures its own. */
final class Rabbit {

    static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private Rabbit() {
    }

    static CachingConnectionFactory connections(RabbitMqServer server) {
        CachingConnectionFactory f = new CachingConnectionFactory(server.host(), server.port());
        f.setUsername(RabbitMqServer.USER);
        f.setPassword(RabbitMqServer.PASSWORD);
        f.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        f.setConnectionTimeout(2000);
        return f;
    }
}
