/**
 * The data plane for any Jakarta Servlet 6 container: the governing filter and the streaming
 * reverse proxy.
 */
module dev.maas4j.servlet {
    requires transitive dev.maas4j.core;
    requires transitive jakarta.servlet;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports dev.maas4j.servlet;
}
