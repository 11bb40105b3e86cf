// Puppeteer arrives only as a transitive devDependency (desktop-commander → md-to-pdf), for the pty
// benchmark peer; nothing here drives a browser, so its install step must not download Chrome
// (this machine and CI reach only the npm registry). package.json's allowScripts also denies it.
module.exports = { skipDownload: true };
