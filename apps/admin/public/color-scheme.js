// Mantine's ColorSchemeScript as a file (the Content-Security-Policy allows no inline script): the saved
// light/dark choice applies before the first paint. Loaded by a blocking <script> in index.html's <head>.
(() => {
  try {
    const saved = window.localStorage.getItem("mantine-color-scheme-value");
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    const scheme = saved === "light" || saved === "dark" ? saved : dark ? "dark" : "light";
    document.documentElement.setAttribute("data-mantine-color-scheme", scheme);
  } catch {
    // Storage blocked: MantineProvider decides once the app loads.
  }
})();
