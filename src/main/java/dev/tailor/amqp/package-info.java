/**
 * RabbitMQ wiring for the distributed mode. Spring Boot's RabbitMQ auto-configuration (connection factory,
 * template, health indicator, metrics) is switched on only with {@code tailor.dispatch.type=amqp}, so the embedded
 * default neither connects to nor reports on a broker it does not use.
 */
package dev.tailor.amqp;
