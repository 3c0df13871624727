package io.inventory;
public final class App { public static void main(String[] a) {} }
