package dev.maas4j.management.internal;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an amount of money: written as a decimal string ({@code "25.00"}) so that no client reads
 * it through a binary floating point, and read from a string or a number, exactly.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@JacksonAnnotationsInside
@JsonDeserialize(using = Json.Decimal.class)
@JsonFormat(shape = JsonFormat.Shape.STRING)
@interface Money {
}
