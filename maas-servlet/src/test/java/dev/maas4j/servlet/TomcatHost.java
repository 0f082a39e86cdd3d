package dev.maas4j.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Embedded Tomcat 11. */
final class TomcatHost implements ServletHost {
    private Tomcat tomcat;
    private Path baseDir;

    @Override
    public URI start(Filter filter, Servlet servlet, boolean servletAsyncSupported) throws Exception {
        baseDir = Files.createTempDirectory("maas-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        // Tomcat reads (swallows) what remains of a body the application refused before it closes the
        // connection, for up to this long: the bound a Tomcat host sets on a client that stops sending
        connector.setProperty("connectionTimeout", "5000");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        Wrapper wrapper = Tomcat.addServlet(context, "proxy", servlet);
        wrapper.setAsyncSupported(servletAsyncSupported);
        context.addServletMappingDecoded("/*", "proxy");
        FilterDef def = new FilterDef();
        def.setFilterName("maas");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("maas");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        tomcat.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
