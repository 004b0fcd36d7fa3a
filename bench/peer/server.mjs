// The peer: the Neo4j GraphQL Library on Apollo Server, serving the typeDefs bench/peer_typedefs.py
// generates, against the Neo4j at NEO4J_URI. Started by bench/peer_bench.py, never by hand:
//
//   node server.mjs <typeDefs.graphql> <port>
//
// Listens on 127.0.0.1 only; prints one line "ready <url>" when it accepts requests.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const [typeDefsPath, port] = process.argv.slice(2);
const env = (name) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
};

const driver = neo4j.driver(env("NEO4J_URI"), neo4j.auth.basic(env("NEO4J_USER"), env("NEO4J_PASSWORD")));
const database = process.env.NEO4J_DATABASE || "neo4j";
const neoSchema = new Neo4jGraphQL({ typeDefs: readFileSync(typeDefsPath, "utf8"), driver });
const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port: Number(port) },
    context: async () => ({ sessionConfig: { database } }),
});
console.log(`ready ${url}`);

for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, async () => {
        await server.stop();
        await driver.close();
        process.exit(0);
    });
}
