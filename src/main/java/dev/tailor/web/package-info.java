/** HTTP concerns shared by every feature: RFC 9457 problem documents and the error mapping. */
package dev.tailor.web;
