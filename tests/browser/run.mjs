// SPDX-License-Identifier: GPL-3.0-or-later
//
// Browser test of the embeddable widget and the server pages (TAP output).
// A test portal page is served by a tiny static server on 127.0.0.1 (its own
// port, so another origin than vanband) and embeds the widget from the
// vanband under test; Playwright (playwright-core) drives Debian's Chromium
// through the done-when flow of issue 5: type an unaccented query, filter by
// form, open a document, download its file (bytes checked against the
// API's SHA-256), switch language, Back, a shared URL, the "in force on"
// date (widget and page), the widget's default language (portal default,
// then <html lang>, then vi), the whole flow again
// by keyboard alone; axe-core must report zero violations on the widget and
// on the server pages in each language; the OpenSearch description is
// fetched, parsed and used; 200% zoom must not need horizontal scrolling.
//
// Environment: VB_BASE (vanband, e.g. http://127.0.0.1:8080, required),
// VB_PORTAL (portal id for the widget, optional), VB_CHROMIUM (default
// /usr/bin/chromium), VB_NODE_MODULES (default ./node_modules),
// VB_SCREENSHOTS (directory for the PNGs; none when unset).

import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.VB_NODE_MODULES || join(here, "node_modules");
const require = createRequire(join(modules, "..", "package.json"));
const { chromium } = require(join(modules, "playwright-core"));
const axeSource = readFileSync(require.resolve(join(modules, "axe-core", "axe.min.js")), "utf8");

const BASE = process.env.VB_BASE;
const SHOTS = process.env.VB_SCREENSHOTS || "";
const QUERY = "quyet dinh ve cong thong tin dien tu";
const NUMBER = "05/2023/QĐ-UBND";

// ---- TAP ----
let n = 0, failed = 0;
function ok(cond, desc, diag) {
	n++;
	if (!cond) failed++;
	console.log(`${cond ? "ok" : "not ok"} ${n} - ${desc}`);
	if (!cond && diag !== undefined)
		for (const line of String(diag).split("\n")) console.log(`#   ${line}`);
	return cond;
}
const is = (got, want, desc) => ok(got === want, desc, `got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);

if (!BASE) {
	console.log("Bail out! VB_BASE is not set");
	process.exit(1);
}

// ---- the test portal: another origin ----
// The flow runs on every document (no portal attribute); with VB_PORTAL a
// second page embeds the widget scoped to that portal.
const PORTAL_ID = process.env.VB_PORTAL || "";
const template = readFileSync(join(here, "portal.html"), "utf8").replace("{{BASE}}", BASE);
const portalHtml = template.replace("{{PORTAL}}", "");
const scopedHtml = template.replace("{{PORTAL}}", `portal="${PORTAL_ID}"`);
const server = createServer((req, res) => {
	const path = new URL(req.url, "http://x").pathname;
	if (path === "/favicon.ico") {
		res.writeHead(204);
		res.end();
	} else if (path === "/ngon-ngu.html") {
		// the widget's default language: ?html= the page's <html lang>,
		// ?portal= a portal attribute, no lang attribute
		const q = new URL(req.url, "http://x").searchParams;
		const portal = q.get("portal") ? `portal="${q.get("portal").replace(/[^a-z0-9.-]/g, "")}"` : "";
		res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
		res.end(template.replace('<html lang="vi">', `<html lang="${(q.get("html") || "").replace(/[^a-zA-Z-]/g, "")}">`)
			.replace('{{PORTAL}} lang="vi"', portal));
	} else if (path === "/" || path === "/van-ban.html" || path === "/pham-vi.html") {
		res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
		res.end(path === "/pham-vi.html" ? scopedHtml : portalHtml);
	} else {
		res.writeHead(404, { "Content-Type": "text/plain" });
		res.end("not found");
	}
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const PORTAL = `http://127.0.0.1:${server.address().port}/van-ban.html`;

const profile = mkdtempSync(join(tmpdir(), "vanban-chromium-"));
const downloads = mkdtempSync(join(tmpdir(), "vanban-downloads-"));
const context = await chromium.launchPersistentContext(profile, {
	executablePath: process.env.VB_CHROMIUM || "/usr/bin/chromium",
	headless: true,
	acceptDownloads: true,
	bypassCSP: true, // to inject axe-core into the server pages (CSP default-src 'self')
	downloadsPath: downloads,
	locale: "vi-VN",
	viewport: { width: 1280, height: 900 },
	args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function shot(page, name) {
	if (!SHOTS) return;
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, name), fullPage: false });
}

// axe-core with the WCAG 2.1 A/AA rules (and best practices) in the page.
async function axe(page, desc) {
	await page.addScriptTag({ content: axeSource });
	const res = await page.evaluate(async () =>
		await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
	const v = res.violations;
	ok(v.length === 0, `axe-core: no violations on ${desc}`,
		v.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.slice(0, 3).map((nd) => nd.target.join(" ")).join(" | ")}`).join("\n"));
}

// The element that has the focus, through shadow roots.
function focused(page) {
	return page.evaluate(() => {
		let a = document.activeElement;
		while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
		if (!a) return null;
		const cs = getComputedStyle(a);
		return { tag: a.tagName.toLowerCase(), id: a.id, type: a.type || "", text: (a.textContent || "").trim().slice(0, 80),
			label: a.getAttribute("aria-label") || (a.labels && a.labels[0] ? a.labels[0].textContent.trim() : ""),
			outline: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2 };
	});
}

// Press Tab until want(focused) holds; every focused element must show
// its focus.  Returns the element or null.
const invisible = [];
async function tabTo(page, want, max = 80) {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press("Tab");
		const f = await focused(page);
		if (f && f.tag !== "body" && !f.outline) invisible.push(`${f.tag}#${f.id} ${f.text}`);
		if (f && want(f)) return f;
	}
	return null;
}

const widget = (page) => page.locator("vanban-search");
const liveText = (page) => widget(page).locator("[role=status]").textContent();

async function waitResults(page) {
	await widget(page).locator("ol.hits li").first().waitFor({ timeout: 10000 });
}

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

try {
	// The document of the flow: NUMBER with a file (the sample also has a
	// copy of it without files).
	const found = await (await fetch(`${BASE}/api/v1/search?q=${encodeURIComponent(QUERY)}&per_page=50`)).json();
	let target = null;
	for (const hit of found.hits.filter((x) => x.number === NUMBER)) {
		const d = await (await fetch(`${BASE}/api/v1/documents/${hit.id}`)).json();
		if (d.files && d.files.length) { target = d; break; }
	}
	if (!ok(target, `the API finds ${NUMBER} with a file`)) throw new Error("no document to test with");
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

	// ---- 1. the flow with the mouse ----
	await page.goto(PORTAL);
	const box = widget(page).getByRole("combobox");
	await box.waitFor();
	ok(await box.isVisible(), "the widget renders its search box on the portal page");
	ok(new URL(BASE).origin !== new URL(PORTAL).origin, "the portal page and the API are on different origins");
	is(await page.evaluate(() => !!document.querySelector("vanban-search").shadowRoot), true, "the widget uses Shadow DOM");
	is(await box.evaluate((e) => getComputedStyle(e).fontFamily.includes("Comic")), false, "portal styles do not leak into the widget");
	await axe(page, "the portal page with the empty widget");

	await box.fill(QUERY);
	await box.press("Enter");
	await waitResults(page);
	const live = await liveText(page);
	ok(/\d/.test(live), "the result count is announced in the live region", live);
	const hitTitles = await widget(page).locator("ol.hits h3").allTextContents();
	ok(hitTitles.some((t) => t.includes(NUMBER)), `the unaccented query finds ${NUMBER}`, hitTitles.join("\n"));
	ok(new URL(page.url()).searchParams.get("vb-q") === QUERY, "the query is in the page URL (vb-q)", page.url());
	const snip = await widget(page).locator(".snip mark").count();
	ok(snip > 0, "snippets mark the query words");
	await shot(page, "widget-results-vi.png");
	await axe(page, "the widget with results (vi)");

	// filter by form
	const formBox = widget(page).getByRole("checkbox", { name: /Quyết định/ });
	await formBox.first().check();
	await page.waitForFunction(() => new URL(location.href).searchParams.get("vb-form") === "Quyết định");
	await waitResults(page);
	await page.waitForTimeout(300);
	const forms = await widget(page).locator("ol.hits h3").allTextContents();
	ok(forms.length > 0 && forms.every((t) => t.startsWith("Quyết định")), "filtering by form keeps only Quyết định", forms.join("\n"));
	const afterFilter = page.url();

	// open a document
	await widget(page).locator(`#hit-${target.id}`).click();
	const docHead = widget(page).locator("#doc-h");
	await docHead.waitFor();
	ok((await docHead.textContent()).includes(NUMBER), "the document opens in the widget");
	const docId = new URL(page.url()).searchParams.get("vb-doc");
	ok(/^\d+$/.test(docId || ""), "the open document is in the URL (vb-doc)", page.url());
	const props = await widget(page).locator("dl.props").textContent();
	for (const label of ["Hình thức", "Thẩm quyền ban hành", "Số ký hiệu", "Ngày ban hành", "Ngày có hiệu lực", "Trích yếu"])
		ok(props.includes(label), `the details show ${label}`);
	ok(props.includes("16/02/2023"), "the issue date is written the Vietnamese way", props);
	ok((await widget(page).locator(".source").textContent()).includes("Theo Cổng thông tin điện tử tỉnh Quảng Ninh"), "the source line is shown");
	await shot(page, "widget-document-vi.png");
	await axe(page, "the widget's document details (vi)");

	// download its file
	const api = await (await fetch(`${BASE}/api/v1/documents/${docId}`)).json();
	ok(api.files && api.files.length > 0, "the document has a file to download");
	const [download] = await Promise.all([
		page.waitForEvent("download"),
		widget(page).locator("ul.files a").first().click(),
	]);
	const bytes = readFileSync(await download.path());
	is(bytes.length, api.files[0].size, "the downloaded file has the stored size");
	is(sha256(bytes), api.files[0].sha256, "the downloaded bytes are the stored file (SHA-256)");
	// (Chromium writes '"' in a file name as '_')
	is(download.suggestedFilename(), api.files[0].name.replace(/"/g, "_"), "the download keeps the file's name");

	// switch language
	await widget(page).getByRole("button", { name: "English" }).click();
	await widget(page).locator("dl.props", { hasText: "Date of issue" }).waitFor();
	const propsEn = await widget(page).locator("dl.props").textContent();
	ok(propsEn.includes("16 February 2023"), "in English the date is 16 February 2023", propsEn);
	is(new URL(page.url()).searchParams.get("vb-lang"), "en", "the language is in the URL (vb-lang)");
	await shot(page, "widget-document-en.png");
	await axe(page, "the widget's document details (en)");
	await widget(page).getByRole("button", { name: "中文" }).click();
	await widget(page).locator("dl.props", { hasText: "发布日期" }).waitFor();
	ok((await widget(page).locator("dl.props").textContent()).includes("2023年2月16日"), "in Chinese the date is 2023年2月16日");
	await axe(page, "the widget's document details (zh)");

	// Back: Chinese -> English -> Vietnamese -> the filtered results
	await page.goBack();
	await widget(page).locator("dl.props", { hasText: "Date of issue" }).waitFor();
	ok(true, "Back returns to the English details");
	await page.goBack();
	await page.goBack();
	await waitResults(page);
	is(page.url(), afterFilter, "Back returns to the filtered results");
	ok((await widget(page).getByRole("checkbox", { name: /Quyết định/ }).first().isChecked()), "the form filter is still checked after Back");

	// a shared URL shows the same search
	const shared = await context.newPage();
	await shared.goto(afterFilter);
	await waitResults(shared);
	const sharedTitles = await widget(shared).locator("ol.hits h3").allTextContents();
	is(sharedTitles.join("|"), forms.join("|"), "a shared URL shows the same results");
	await shared.close();

	// suggestions
	await box.fill("");
	await box.pressSequentially("ban hanh quy che", { delay: 20 });
	const opt = widget(page).getByRole("option").first();
	await opt.waitFor({ timeout: 5000 }).catch(() => {});
	ok(await opt.isVisible(), "typing shows suggestions");
	is(await box.getAttribute("aria-expanded"), "true", "the combobox says its list is open");

	// in force on a date: the widget's date field filters like the API's in_force_on
	const total = async (extra) => (await (await fetch(`${BASE}/api/v1/search?q=${encodeURIComponent(QUERY)}${extra}`)).json()).total;
	const allTotal = await total("");
	let day = null, dayTotal = 0;
	for (const d of ["2010-01-01", "2020-01-01", "2023-03-01", "2000-01-01"]) {
		dayTotal = await total(`&in_force_on=${d}`);
		if (dayTotal > 0 && dayTotal < allTotal) { day = d; break; }
	}
	if (ok(day, `the API's in_force_on narrows the search (${day}: 0 < ${dayTotal} < ${allTotal})`)) {
		await page.goto(PORTAL);
		const dateBox = widget(page).getByLabel("Còn hiệu lực vào ngày");
		ok(await dateBox.isVisible(), "the widget has a labelled date field \"Còn hiệu lực vào ngày\"");
		await widget(page).getByRole("combobox").fill(QUERY);
		await dateBox.fill(day);
		await widget(page).getByRole("button", { name: "Tìm kiếm", exact: true }).click();
		await page.waitForFunction((d) => new URL(location.href).searchParams.get("vb-in_force_on") === d, day);
		await widget(page).locator("p.total").waitFor();
		await page.waitForTimeout(300);
		const num = (await liveText(page)).replace(/\D/g, "");
		is(+num, dayTotal, `the widget in force on ${day} announces the API's count`);
		await page.reload();
		await widget(page).locator("p.total").waitFor();
		is(await widget(page).getByLabel("Còn hiệu lực vào ngày").inputValue(), day, "the date is kept in the URL state (reload)");
		await axe(page, "the widget with a date filter");
	}

	// 200% zoom: a 640 px wide viewport is 1280 px at 200 %
	await page.setViewportSize({ width: 640, height: 900 });
	await page.goto(afterFilter);
	await waitResults(page);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	ok(overflow <= 0, "at 200% zoom the widget needs no horizontal scrolling", `overflow ${overflow}px`);
	await shot(page, "widget-zoom200.png");
	await page.setViewportSize({ width: 1280, height: 900 });
	// scoped to a portal: the widget's counts are the portal's
	if (PORTAL_ID) {
		const api = async (extra) => (await (await fetch(`${BASE}/api/v1/search?q=${encodeURIComponent(QUERY)}${extra}`)).json()).total;
		const [all, scoped] = [await api(""), await api(`&portal=${PORTAL_ID}`)];
		await page.goto(PORTAL.replace("van-ban.html", "pham-vi.html") + `?vb-q=${encodeURIComponent(QUERY)}`);
		await waitResults(page);
		const shown = await widget(page).locator("ol.hits > li").count();
		const num = (await liveText(page)).replace(/\D/g, "");
		ok(scoped < all, `portal ${PORTAL_ID} has fewer results than all documents (${scoped} < ${all})`);
		is(+num, scoped, `the widget with portal="${PORTAL_ID}" announces the portal's count`);
		ok(shown > 0 && shown <= scoped, "and lists the portal's documents");
	}
	ok(errors.length === 0, "no script errors on the portal page", errors.join("\n"));
	await page.close();

	// ---- 1b. the widget's language without a lang attribute: the portal's
	// default_language, then <html lang>, then Vietnamese ----
	const lp = await context.newPage();
	const host = PORTAL.replace("van-ban.html", "ngon-ngu.html");
	const pressed = async () => {
		await widget(lp).locator(".langs [aria-pressed=true]").waitFor();
		return widget(lp).locator(".langs [aria-pressed=true]").getAttribute("lang");
	};
	let portalAsked = 0;
	await lp.route(`${BASE}/api/v1/portals/**`, (route) => {
		portalAsked++;
		const id = new URL(route.request().url()).pathname.split("/").pop();
		if (id === "mockzh" || id === "mocken")
			return route.fulfill({ status: 200, contentType: "application/json", headers: { "Access-Control-Allow-Origin": "*" },
				body: JSON.stringify({ id, languages: ["vi", id.slice(4)], default_language: id.slice(4) }) });
		if (id === "mockgone")
			return route.fulfill({ status: 404, contentType: "application/json", headers: { "Access-Control-Allow-Origin": "*" },
				body: '{"error":{"code":"not_found","message":"no such portal"}}' });
		return route.continue();
	});
	await lp.goto(`${host}?html=vi&portal=mocken`);
	is(await pressed(), "en", "no lang attribute: the portal's default_language (en) wins over <html lang=vi>");
	ok((await widget(lp).locator("label.q").textContent()).startsWith("Search documents"), "and the widget speaks English");
	await lp.goto(`${host}?html=vi&portal=mockzh`);
	is(await pressed(), "zh", "no lang attribute: the portal's default_language (zh)");
	await lp.goto(`${host}?html=zh&portal=mockgone`);
	is(await pressed(), "zh", "an unknown portal: the page's <html lang=zh>");
	await lp.goto(`${host}?html=en-GB`);
	is(await pressed(), "en", "no portal: the page's <html lang=en-GB>");
	await lp.goto(`${host}?html=fr`);
	is(await pressed(), "vi", "neither: Vietnamese");
	is(portalAsked, 3, "the portal is asked only when the widget has a portal attribute");
	if (PORTAL_ID) {
		const rec = await (await fetch(`${BASE}/api/v1/portals/${PORTAL_ID}`)).json();
		const want = rec.default_language === "en" ? "zh" : "en"; // a page language that differs
		await lp.goto(`${host}?html=${want}&portal=${PORTAL_ID}`);
		is(await pressed(), rec.default_language, `portal ${PORTAL_ID} from vanband: its default_language (${rec.default_language}) over <html lang=${want}>`);
	}
	await lp.goto(`${host}?html=zh&portal=mocken&vb-lang=vi`);
	is(await pressed(), "vi", "the reader's choice in the URL (vb-lang) still wins");
	await lp.close();

	// ---- 2. the whole flow by keyboard alone ----
	const kb = await context.newPage();
	await kb.goto(PORTAL);
	await widget(kb).getByRole("combobox").waitFor();
	invisible.length = 0;
	let f = await tabTo(kb, (x) => x.tag === "input" && x.type === "search");
	ok(f, "keyboard: Tab reaches the search box");
	await kb.keyboard.type(QUERY);
	await kb.keyboard.press("Enter");
	await waitResults(kb);
	f = await tabTo(kb, (x) => x.type === "checkbox" && x.label.includes("Quyết định"));
	ok(f, "keyboard: Tab reaches the Quyết định filter");
	await kb.keyboard.press("Space");
	await kb.waitForFunction(() => new URL(location.href).searchParams.get("vb-form") === "Quyết định");
	await waitResults(kb);
	f = await focused(kb);
	ok(f && f.type === "checkbox", "keyboard: the focus stays on the filter after it applies", JSON.stringify(f));
	f = await tabTo(kb, (x) => x.tag === "a" && x.id === `hit-${target.id}`);
	ok(f, "keyboard: Tab reaches the document link");
	await kb.keyboard.press("Enter");
	await widget(kb).locator("#doc-h").waitFor();
	f = await focused(kb);
	is(f && f.id, "doc-h", "keyboard: opening a document moves the focus to its heading");
	f = await tabTo(kb, (x) => x.tag === "a" && x.text === target.files[0].name);
	ok(f, "keyboard: Tab reaches the download link");
	const [kbDownload] = await Promise.all([kb.waitForEvent("download"), kb.keyboard.press("Enter")]);
	const kbBytes = readFileSync(await kbDownload.path());
	ok(kbBytes.length > 0, "keyboard: Enter on the link downloads the file");
	f = await tabTo(kb, (x) => x.tag === "button" && x.text.includes("English"), 200);
	ok(f, "keyboard: Tab reaches the language switch");
	await kb.keyboard.press("Enter");
	await widget(kb).locator("dl.props", { hasText: "Date of issue" }).waitFor();
	f = await focused(kb);
	ok(f && f.text === "English", "keyboard: the focus stays on the language switch", JSON.stringify(f));
	f = await tabTo(kb, (x) => x.tag === "button" && x.text.includes("Back to results"), 200);
	ok(f, "keyboard: Tab reaches Back to results");
	await kb.keyboard.press("Enter");
	await waitResults(kb);
	await kb.waitForTimeout(200);
	f = await focused(kb);
	ok(f && f.tag === "a" && f.id === `hit-${target.id}`, "keyboard: back in the results the focus is on the document's link", JSON.stringify(f));
	ok(invisible.length === 0, "keyboard: every focused element shows a visible focus outline", invisible.join("\n"));
	await shot(kb, "widget-keyboard-en.png");
	await kb.close();

	// ---- 3. server pages in three languages ----
	const sp = await context.newPage();
	for (const lang of ["vi", "en", "zh"]) {
		await sp.goto(`${BASE}/search?q=${encodeURIComponent(QUERY)}&lang=${lang}`);
		is(await sp.getAttribute("html", "lang"), lang, `search page in ${lang}: html lang`);
		ok(await sp.locator("ol.hits li").count() > 0, `search page in ${lang}: results`);
		ok(await sp.locator('link[rel=search][type="application/opensearchdescription+xml"]').count() === 1, `search page in ${lang}: OpenSearch link`);
		ok(await sp.locator('link[rel=alternate][type="application/atom+xml"]').count() === 1, `search page in ${lang}: Atom link`);
		await axe(sp, `the server search page (${lang})`);
		is(await sp.getByLabel({ vi: "Còn hiệu lực vào ngày", en: "In force on", zh: "于该日有效" }[lang], { exact: true }).getAttribute("type"), "date",
			`search page in ${lang}: a labelled "in force on" date field`);
		if (lang === "zh") await shot(sp, "page-search-zh.png");
		await sp.goto(`${BASE}/documents/${docId}?lang=${lang}`);
		is(await sp.getAttribute("html", "lang"), lang, `document page in ${lang}: html lang`);
		const ld = JSON.parse(await sp.locator('script[type="application/ld+json"]').textContent());
		is(ld["@type"], "Legislation", `document page in ${lang}: schema.org Legislation`);
		is(ld.legislationIdentifier, api.number, `document page in ${lang}: legislationIdentifier`);
		ok(await sp.locator("link[rel=canonical]").count() === 1, `document page in ${lang}: canonical link`);
		ok(await sp.locator("footer .source").count() === 1, `document page in ${lang}: source line`);
		await axe(sp, `the server document page (${lang})`);
		if (lang === "en") await shot(sp, "page-document-en.png");
		await sp.setViewportSize({ width: 640, height: 900 });
		const ov = await sp.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		ok(ov <= 0, `document page in ${lang}: no horizontal scrolling at 200% zoom`, `overflow ${ov}px`);
		await sp.setViewportSize({ width: 1280, height: 900 });
	}
	// Accept-Language picks the language when lang= is absent
	// (the browser's own locale is vi-VN here, so ask with fetch)
	const zhPage = await (await fetch(`${BASE}/documents/${docId}`, { headers: { "Accept-Language": "zh-CN,zh;q=0.9" } })).text();
	ok(zhPage.includes('<html lang="zh">'), "Accept-Language: zh-CN gives the Chinese page");
	const viPage = await sp.evaluate(async (u) => (await fetch(u)).text(), `${BASE}/documents/${docId}`);
	ok(viPage.includes('<html lang="vi">'), "the browser's Accept-Language (vi-VN) gives the Vietnamese page");

	// the in-force date without JavaScript: the form sends it, the page keeps it
	let pageDay = "2023-03-01";
	for (const d of ["2023-03-01", "2020-01-01", "2024-06-01"])
		if (await total(`&in_force_on=${d}`) > 0) { pageDay = d; break; }
	await sp.goto(`${BASE}/search?q=${encodeURIComponent(QUERY)}&lang=en`);
	await sp.getByLabel("In force on", { exact: true }).fill(pageDay);
	await Promise.all([sp.waitForNavigation(), sp.getByRole("button", { name: "Search", exact: true }).click()]);
	is(new URL(sp.url()).searchParams.get("in_force_on"), pageDay, "search page: the form sends in_force_on");
	is(await sp.getByLabel("In force on", { exact: true }).inputValue(), pageDay, "search page: the date stays in the field");
	const facetHrefs = await sp.locator("nav.facets a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
	ok(facetHrefs.length > 0 && facetHrefs.every((h) => h.includes(`in_force_on=${pageDay}`)), "search page: facet links keep in_force_on", facetHrefs.slice(0, 3).join("\n"));
	await axe(sp, "the server search page with a date filter (en)");

	// ---- 4. the OpenSearch description in the browser ----
	await sp.goto(`${BASE}/search`);
	const osd = await sp.evaluate(async () => {
		const href = document.querySelector('link[rel=search]').href;
		const r = await fetch(href);
		const doc = new DOMParser().parseFromString(await r.text(), "application/xml");
		const url = [...doc.getElementsByTagName("Url")].find((u) => u.getAttribute("type") === "text/html");
		return { status: r.status, type: r.headers.get("content-type"), root: doc.documentElement.localName,
			ns: doc.documentElement.namespaceURI, parseError: doc.getElementsByTagName("parsererror").length,
			template: url ? url.getAttribute("template") : null };
	});
	is(osd.status, 200, "OpenSearch: the description is served");
	ok(osd.parseError === 0 && osd.root === "OpenSearchDescription" && osd.ns === "http://a9.com/-/spec/opensearch/1.1/",
		"OpenSearch: it parses as an OpenSearch 1.1 description", JSON.stringify(osd));
	ok(osd.template && osd.template.includes("{searchTerms}"), "OpenSearch: an HTML Url template with {searchTerms}", JSON.stringify(osd));
	if (osd.template) {
		await sp.goto(osd.template.replace("{searchTerms}", encodeURIComponent(QUERY)).replace(/\{[^}]*\?\}/g, ""));
		ok((await sp.locator("ol.hits").textContent().catch(() => "")).includes(NUMBER), "OpenSearch: its template runs the search");
	}
	await sp.close();
} catch (e) {
	ok(false, "the browser test ran to the end", e && e.stack ? e.stack : String(e));
} finally {
	await context.close().catch(() => {});
	server.close();
	rmSync(profile, { recursive: true, force: true });
	rmSync(downloads, { recursive: true, force: true });
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
