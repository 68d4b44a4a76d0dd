/**
 * The distributed mode's dispatch over RabbitMQ ({@code tailor.dispatch.type=amqp}): {@link
 * dev.tailor.amqp.AmqpBuildDispatcher} (one durable, bounded priority queue per architecture, publisher confirms,
 * ack after the build is stored, a failure count carried in the message and a dead-letter queue, events fanned out
 * to every API replica) and its wiring for the roles of {@link dev.tailor.builds.Deployment}: an API replica
 * dispatches and listens, a worker consumes the queues of the architectures it has toolchains for (checked at
 * start) and publishes its toolchain ids, {@code tailor.mode=all} does both. Spring Boot's RabbitMQ
 * auto-configuration (connection factory, health, metrics) is switched on only with {@code dispatch.type=amqp}, so
 * the embedded default neither connects to nor reports on a broker it does not use.
 *
 * <p>The dispatcher is the public face and the wiring; each role is a package-private class of its own:
 * {@code Topology} (what is declared on the broker), {@code JobPublisher} (confirmed, persistent jobs),
 * {@code JobConsumer} (a worker's loop, with redelivery, failure counts and dead-lettering), {@code EventSender}
 * and {@code EventReceiver} (a build's events, from its worker to every listening replica, as {@code BuildEvent}s).
 */
package dev.tailor.amqp;
