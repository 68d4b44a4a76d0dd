/**
 * Real backing services for tests (S3Proxy, RabbitMQ), started by the tests themselves on 127.0.0.1 with
 * bounded waits and stopped when the JVM exits, so the test command needs no running infrastructure.
 */
package dev.tailor.testsupport;
