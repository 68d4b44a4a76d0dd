/** The target catalog: per architecture a ladder of compile targets, loaded from data. */
package dev.tailor.catalog;
