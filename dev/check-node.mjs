// Every npm script runs on the Node 22 that the `node` devDependency installs (npm puts
// node_modules/.bin first on PATH). Fail loudly if that did not happen.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`Node ${process.version} found; this app needs Node >= 22. Run \`npm install\` first (it installs Node 22 from the npm registry).`);
  process.exit(1);
}
