// The SPARQL page: Yasgui over the API's own /sparql (read-only, the public view of the graph).
// An example button puts its query in the editor and runs it.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sparql-config").textContent);
  const endpoint = new URL("/sparql", window.location.href).href;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // Only this endpoint: the catalogue of public endpoints would send queries elsewhere.
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    // The editor starts with the first example; a user's own tabs are kept between visits.
    yasqe: { value: config.examples[0].query },
  });
  const tab = () => yasgui.getTab();
  tab().setEndpoint(endpoint);
  document.querySelectorAll("#examples button.example").forEach((button) => {
    button.addEventListener("click", () => {
      const current = tab();
      current.setQuery(config.examples[Number(button.dataset.index)].query);
      current.query();
    });
  });
  window.mskgYasgui = yasgui;
})();
