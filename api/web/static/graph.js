// The graph explorer: draws an entity's neighbourhood or the shortest connection between two
// entities with cytoscape, from the API's own GraphQL (`neighborhood`, `paths`); a click on a
// node adds that node's neighbourhood, a double click opens its page.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("graph-config").textContent);
  const errorBox = document.getElementById("graph-error");
  const lang = config.lang.toLowerCase();

  const NODE = "__typename key label(lang: $lang)";
  const EDGE = "type fromKey toKey properties { name value }";
  // The filters of the page's URL: relationship kinds left out, classes never passed through.
  const FILTERS = "$skip: [RelationType!], $avoid: [EntityType!]";
  const FILTER_ARGS = "skipRelationTypes: $skip, avoidTypes: $avoid";
  const NEIGHBORHOOD = `query N($key: String!, $depth: Int!, $lang: Lang!, ${FILTERS}) {
    neighborhood(key: $key, depth: $depth, ${FILTER_ARGS}) { truncated nodes { ${NODE} } edges { ${EDGE} } } }`;
  const PATHS = `query P($from: String!, $to: String!, $lang: Lang!, ${FILTERS}) {
    paths(from: $from, to: $to, maxHops: 6, ${FILTER_ARGS}) { length nodes { ${NODE} } edges { ${EDGE} } } }`;
  const filters = { skip: config.skip, avoid: config.avoid };

  async function gql(query, variables) {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join("; "));
    return body.data;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  // Labels are drawn on a canvas in the bundled Chinese font. A canvas does not make the browser
  // fetch a font's subsets (only page text does), so the ones a batch of labels needs are
  // loaded first and the graph redrawn when they arrive.
  const FONT = '"Noto Sans SC", sans-serif';
  const READABLE_ZOOM = 0.85;
  function loadGlyphs(text) {
    if (!document.fonts || !text) return Promise.resolve();
    return Promise.all(["400", "700"].map((weight) => document.fonts.load(`${weight} 9px "Noto Sans SC"`, text)))
      .then(() => cy.style().update())
      .catch(() => undefined);
  }

  const cy = cytoscape({
    container: document.getElementById("cy"),
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
          label: "data(label)", "font-size": 9, "font-family": FONT, "text-wrap": "ellipsis", "text-max-width": 120,
          "background-color": "#6b8bb0", width: 16, height: 16, color: "#1d232b",
          "text-valign": "bottom", "text-margin-y": 3, "text-background-color": "#fbfcfd",
          "text-background-opacity": 0.85, "text-background-padding": 1 } },
      { selector: "node.focus", style: { "background-color": "#d9480f", width: 26, height: 26, "font-weight": "bold" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#14283f" } },
      { selector: "edge", style: {
          width: 1.6, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8 } },
    ],
  });

  function add(nodes, edges, centre) {
    const fresh = [];
    for (const n of nodes) {
      if (cy.getElementById(n.key).empty()) {
        const kind = config.classes[n.__typename] || n.__typename;
        fresh.push({ group: "nodes", data: { id: n.key, label: n.label, type: n.__typename, kind } });
      }
    }
    for (const e of edges) {
      const id = `${e.fromKey}|${e.type}|${e.toKey}`;
      if (cy.getElementById(id).empty()) {
        fresh.push({ group: "edges", data: {
          id, source: e.fromKey, target: e.toKey, type: e.type,
          colour: config.colours[e.type] || "#999", label: config.labels[e.type] || e.type } });
      }
    }
    cy.add(fresh);
    window.mskgGlyphs = loadGlyphs(fresh.filter((f) => f.group === "nodes").map((f) => f.data.label || "").join(""));
    const present = new Set(cy.edges().map((edge) => edge.data("type")));
    document.querySelectorAll("#legend li").forEach((li) => li.classList.toggle("present", present.has(li.dataset.type)));
    // Labels count as part of each node, so the layout keeps them apart.
    cy.layout({ name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
      nodeRepulsion: 200000, idealEdgeLength: 70, nodeOverlap: 20, padding: 30 }).run();
    // Fitting a big neighbourhood shrinks labels past reading; below this zoom the view stays
    // readable around the focus and the rest is a pan or a wheel-turn away.
    if (cy.zoom() < READABLE_ZOOM) {
      cy.zoom(READABLE_ZOOM);
      cy.center(cy.getElementById(centre));
    }
    return fresh.length;
  }

  async function expand(key, depth) {
    const data = await gql(NEIGHBORHOOD, { key, depth, lang: config.lang, ...filters });
    if (!data.neighborhood) throw new Error(`${key}: not found`);
    add(data.neighborhood.nodes, data.neighborhood.edges, key);
    cy.getElementById(key).addClass("expanded");
  }

  async function path(from, to) {
    const data = await gql(PATHS, { from, to, lang: config.lang, ...filters });
    if (!data.paths.length) {
      showError(document.getElementById("no-path-text").dataset.noPath);
      return;
    }
    for (const p of data.paths) add(p.nodes, p.edges, from);
    cy.getElementById(from).addClass("focus");
    cy.getElementById(to).addClass("focus");
  }

  document.getElementById("apply-filters").addEventListener("click", () => {
    const url = new URL(window.location.href);
    url.searchParams.delete("skip");
    url.searchParams.delete("hide");
    document.querySelectorAll("#legend input.rel-filter").forEach((box) => {
      if (!box.checked) url.searchParams.append("skip", box.value);
    });
    if (document.getElementById("hide-concepts").checked) url.searchParams.append("hide", "Concept");
    window.location.href = url.href;
  });

  cy.on("tap", "node", (event) => {
    expand(event.target.id(), 1).catch((error) => showError(error.message));
  });
  cy.on("dbltap", "node", (event) => {
    window.location.href = `/entity/${encodeURIComponent(event.target.id())}?lang=${lang}`;
  });

  // Tests and curious users can inspect the picture: window.mskgGraph.cy.nodes().
  window.mskgGraph = { cy, ready: false, loadGlyphs };
  let work = Promise.resolve();
  if (config.key) {
    work = expand(config.key, config.depth).then(() => cy.getElementById(config.key).addClass("focus"));
  } else if (config.source && config.target) {
    work = path(config.source, config.target);
  }
  work.catch((error) => showError(error.message)).finally(() => { window.mskgGraph.ready = true; });
})();
