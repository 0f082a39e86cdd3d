package dev.maas4j.api;

/** The kinds of asset an {@link ApiKey} can be scoped to. Only models are enforced today. */
public enum AssetKind {
    /** An inference model ({@link ModelRef}). */
    MODEL,
    /** A Model Context Protocol server. */
    MCP_SERVER,
    /** A vector store. */
    VECTOR_STORE,
    /** An agent. */
    AGENT
}
