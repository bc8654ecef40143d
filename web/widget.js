/* SPDX-License-Identifier: GPL-3.0-or-later
 * vanban search widget: <script src="https://HOST/static/widget.js" defer></script>
 * <vanban-search portal="ID" lang="vi|en|zh"></vanban-search>
 * Language: lang="", else the portal's default_language, else <html lang>, else vi.
 * A custom element with Shadow DOM, no framework, no build step.  The API base
 * is the script's own origin (or the api="" attribute).  Its state lives in the
 * page's query string under the prefix "vb-" (state-prefix=""), so searches can
 * be shared and Back works.  See docs/widget.md. */
(function () {
	"use strict";
	var SCRIPT = document.currentScript && document.currentScript.src;
	var BASE = SCRIPT ? SCRIPT.replace(/\/static\/widget\.js(\?.*)?$/, "") : "";
	var LANGS = ["vi", "en", "zh"];
	var NAMES = { vi: "Tiếng Việt", en: "English", zh: "中文" };
	var LOCALES = { vi: "vi-VN", en: "en-GB", zh: "zh-CN" };
	var T = {
		vi: { label: "Tìm văn bản: từ khóa, số ký hiệu hoặc trích yếu", search: "Tìm kiếm",
			lang: "Ngôn ngữ", filters: "Lọc kết quả", form: "Hình thức văn bản",
			issuer: "Cơ quan ban hành", year: "Năm ban hành", status: "Tình trạng hiệu lực",
			found: "Tìm thấy {n} văn bản", none: "Không tìm thấy văn bản nào",
			results: "Kết quả", pages: "Phân trang", prev: "Trang trước", next: "Trang sau",
			page: "Trang {n}", back: "Quay lại kết quả", fullpage: "Trang văn bản đầy đủ",
			f_form: "Hình thức", f_issuer: "Thẩm quyền ban hành", f_number: "Số ký hiệu",
			f_issued: "Ngày ban hành", f_effective: "Ngày có hiệu lực",
			f_expiry: "Ngày hết hiệu lực", f_abstract: "Trích yếu", f_signer: "Người ký",
			f_fields: "Lĩnh vực", f_status: "Tình trạng hiệu lực", files: "Tệp đính kèm",
			nofiles: "Không có tệp đính kèm.", download: "Tải về",
			source: "Theo Cổng thông tin điện tử tỉnh Quảng Ninh",
			error: "Không kết nối được dịch vụ tra cứu. Vui lòng thử lại sau.",
			suggest: "Gợi ý", loading: "Đang tải…", opened: "Đang xem văn bản {t}",
			didyou: "Có phải bạn muốn tìm:", nonumber: "(không số)", widget: "Tra cứu văn bản",
			inforce: "Còn hiệu lực vào ngày" },
		en: { label: "Search documents: keywords, number or summary", search: "Search",
			lang: "Language", filters: "Filter results", form: "Type of document",
			issuer: "Issuing body", year: "Year of issue", status: "Validity",
			found: "{n} documents found", none: "No documents found", results: "Results",
			pages: "Pages", prev: "Previous page", next: "Next page", page: "Page {n}",
			back: "Back to results", fullpage: "Full document page", f_form: "Type",
			f_issuer: "Issued by", f_number: "Number", f_issued: "Date of issue",
			f_effective: "Effective from", f_expiry: "Expires on", f_abstract: "Summary",
			f_signer: "Signed by", f_fields: "Fields", f_status: "Validity", files: "Files",
			nofiles: "No files.", download: "Download",
			source: "Source: Quảng Ninh Province Web Portal",
			error: "The search service could not be reached. Please try again later.",
			suggest: "Suggestions", loading: "Loading…", opened: "Showing document {t}",
			didyou: "Did you mean:", nonumber: "(no number)", widget: "Document search",
			inforce: "In force on" },
		zh: { label: "检索文件：关键词、文号或摘要", search: "搜索", lang: "语言",
			filters: "筛选结果", form: "文件类型", issuer: "发布机关", year: "发布年份",
			status: "效力状态", found: "找到 {n} 份文件", none: "未找到文件", results: "结果",
			pages: "分页", prev: "上一页", next: "下一页", page: "第 {n} 页", back: "返回结果",
			fullpage: "完整文件页面", f_form: "类型", f_issuer: "发布机关", f_number: "文号",
			f_issued: "发布日期", f_effective: "生效日期", f_expiry: "失效日期",
			f_abstract: "摘要", f_signer: "签署人", f_fields: "领域", f_status: "效力状态",
			files: "附件", nofiles: "无附件。", download: "下载",
			source: "来源：广宁省电子信息门户网站",
			error: "无法连接检索服务，请稍后再试。", suggest: "建议", loading: "加载中…",
			opened: "正在查看文件 {t}", didyou: "您是不是要找：", nonumber: "（无文号）",
			widget: "文件检索", inforce: "于该日有效" }
	};
	var STATUS = {
		in_force: ["Còn hiệu lực", "In force", "有效"],
		expired: ["Hết hiệu lực toàn bộ", "No longer in force", "全部失效"],
		partly_expired: ["Hết hiệu lực một phần", "Partly no longer in force", "部分失效"],
		not_yet_in_force: ["Chưa có hiệu lực", "Not yet in force", "尚未生效"],
		suspended: ["Ngưng hiệu lực", "Suspended", "暂停效力"],
		unknown: ["Chưa xác định", "Unknown", "未确定"]
	};
	var FACETS = ["form", "issuer", "year", "status"];
	var PER_PAGE = 10;
	var CSS = ":host{all:initial;display:block;font:16px/1.5 system-ui,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1b1b;background:#fff}" +
		"*{box-sizing:border-box}.vb{max-width:72rem}h2{font-size:1.15rem;margin:.8rem 0 .4rem}h3{font-size:1rem;margin:0 0 .2rem}" +
		"a{color:#0b4f9c}button,input,select{font:inherit}" +
		"a:focus,button:focus,input:focus,input:focus-within,summary:focus,[tabindex]:focus{outline:3px solid #b35c00;outline-offset:2px}" +
		"form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;background:#f4f4f4;border:1px solid #ccc;border-radius:6px;padding:.7rem}" +
		"label.q{flex-basis:100%;font-weight:600}.combo{position:relative;flex:1 1 16rem}" +
		".opt label{display:block;font-size:.92rem}input[type=date]{padding:.4rem;border:1px solid #767676;border-radius:4px}" +
		"input[type=search]{width:100%;padding:.45rem .6rem;border:1px solid #767676;border-radius:4px}" +
		".btn{padding:.45rem 1rem;background:#a50e0e;color:#fff;border:0;border-radius:4px;cursor:pointer}" +
		".sugg{position:absolute;z-index:5;left:0;right:0;top:100%;margin:0;padding:0;list-style:none;background:#fff;border:1px solid #767676;max-height:20rem;overflow:auto}" +
		".sugg li{padding:.35rem .6rem;cursor:pointer}.sugg li[aria-selected=true]{background:#0b4f9c;color:#fff}" +
		".langs{display:flex;gap:.3rem;margin:.5rem 0;flex-wrap:wrap;align-items:center}" +
		".langs button{background:#fff;color:#0b4f9c;border:1px solid #0b4f9c;border-radius:4px;padding:.2rem .6rem;cursor:pointer}" +
		".langs button[aria-pressed=true]{background:#0b4f9c;color:#fff}" +
		".layout{display:grid;grid-template-columns:15rem 1fr;gap:1.2rem}@media (max-width:48rem){.layout{grid-template-columns:1fr}}" +
		"summary{cursor:pointer}summary h2{display:inline}fieldset{border:0;margin:0 0 .6rem;padding:0}legend{font-weight:600;padding:0}" +
		"fieldset label{display:block;font-size:.92rem;margin:.1rem 0}.count{color:#555}" +
		"ol.hits{padding-left:1.3rem}ol.hits li{border-bottom:1px solid #ddd;padding:.5rem 0}" +
		"dl.meta{display:flex;flex-wrap:wrap;gap:0 .9rem;margin:.2rem 0;font-size:.88rem;color:#555}dl.meta dt{font-weight:600}dl.meta dd{margin:0}" +
		"mark{background:#fff1a8;color:inherit}.snip{font-size:.92rem;margin:.2rem 0}" +
		".paging{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0}" +
		".paging button{background:#fff;color:#0b4f9c;border:1px solid #767676;border-radius:4px;padding:.2rem .6rem;cursor:pointer}" +
		".paging button[aria-current]{background:#a50e0e;color:#fff;border-color:#a50e0e}" +
		"dl.props{display:grid;grid-template-columns:12rem 1fr;gap:.3rem 1rem}dl.props dt{font-weight:600}dl.props dd{margin:0}" +
		"@media (max-width:40rem){dl.props{grid-template-columns:1fr}}.source{font-style:italic;color:#555}" +
		".alert{background:#fff6e0;border-left:4px solid #b35c00;padding:.4rem .7rem}" +
		".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

	function h(tag, attrs) {
		var el = document.createElement(tag), i, k;
		for (k in attrs || {}) {
			if (attrs[k] == null || attrs[k] === false) continue;
			if (k === "text") el.textContent = attrs[k];
			else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), attrs[k]);
			else el.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
		}
		for (i = 2; i < arguments.length; i++) {
			var c = arguments[i];
			if (c == null) continue;
			if (Array.isArray(c)) c.forEach(function (x) { if (x) el.appendChild(x); });
			else el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
		}
		return el;
	}
	/* Snippets come from the API as escaped text with <mark>: rebuild them
	 * from text nodes, never through innerHTML. */
	function snippet(s) {
		var p = h("p", { "class": "snip", lang: "vi" }), parts = s.split(/(<mark>|<\/mark>)/), on = false;
		var tx = document.createElement("textarea");
		parts.forEach(function (x) {
			if (x === "<mark>") { on = true; return; }
			if (x === "</mark>") { on = false; return; }
			tx.innerHTML = x.replace(/</g, "&lt;"); /* decode entities only */
			var t = document.createTextNode(tx.value);
			p.appendChild(on ? h("mark", null, t) : t);
		});
		return p;
	}
	/* "vi", "en" or "zh" of a language tag ("en-GB"), else "". */
	function langOf(tag) {
		var m = /^(vi|en|zh)(-|$)/i.exec(tag || "");
		return m ? m[1].toLowerCase() : "";
	}
	var DATE = /^\d{4}-\d{2}-\d{2}$/;

	class VanbanSearch extends HTMLElement {
		connectedCallback() {
			if (this.root) return;
			this.root = this.attachShadow({ mode: "open" });
			this.api = (this.getAttribute("api") || BASE).replace(/\/$/, "");
			this.pfx = this.getAttribute("state-prefix") || "vb-";
			this.seq = this.sseq = 0;
			var self = this, attr = langOf(this.getAttribute("lang")), portal = this.getAttribute("portal");
			if (attr || !portal) return this.start(attr);
			this.get("/api/v1/portals/" + encodeURIComponent(portal)).then(function (p) { return p.default_language; },
				function () { return ""; }).then(function (l) { self.start(langOf(l)); });
		}
		start(l) {
			this.defLang = l || langOf(document.documentElement.lang) || "vi";
			this.onPop = this.load.bind(this, false);
			window.addEventListener("popstate", this.onPop);
			this.load(false);
		}
		disconnectedCallback() { window.removeEventListener("popstate", this.onPop); }
		t(k, n) { return T[this.s.lang][k].replace("{n}", n).replace("{t}", n); }
		/* ---- state <-> URL ---- */
		read() {
			var u = new URLSearchParams(location.search), p = this.pfx, s = { q: u.get(p + "q") || "", page: +u.get(p + "page") || 1, doc: u.get(p + "doc") || "" };
			s.in_force_on = DATE.test(u.get(p + "in_force_on")) ? u.get(p + "in_force_on") : "";
			FACETS.forEach(function (f) { s[f] = u.getAll(p + f); });
			s.lang = LANGS.indexOf(u.get(p + "lang")) >= 0 ? u.get(p + "lang") : this.defLang;
			return s;
		}
		write(push) {
			var u = new URLSearchParams(location.search), p = this.pfx, s = this.s;
			["q", "page", "doc", "lang", "in_force_on"].concat(FACETS).forEach(function (k) { u.delete(p + k); });
			if (s.q) u.set(p + "q", s.q);
			if (s.in_force_on) u.set(p + "in_force_on", s.in_force_on);
			FACETS.forEach(function (f) { s[f].forEach(function (v) { u.append(p + f, v); }); });
			if (s.page > 1) u.set(p + "page", s.page);
			if (s.doc) u.set(p + "doc", s.doc);
			if (s.lang !== this.defLang) u.set(p + "lang", s.lang);
			var q = u.toString(), url = location.pathname + (q ? "?" + q : "") + location.hash;
			history[push ? "pushState" : "replaceState"](null, "", url);
		}
		go(changes, push, focus) {
			Object.assign(this.s, changes);
			this.write(push !== false);
			this.render(focus);
		}
		load() { this.s = this.read(); this.render(); }
		/* ---- API ---- */
		get(path, params) {
			var u = new URL(this.api + path), portal = this.getAttribute("portal");
			Object.keys(params || {}).forEach(function (k) {
				[].concat(params[k]).forEach(function (v) { if (v !== "" && v != null) u.searchParams.append(k, v); });
			});
			if (portal && path === "/api/v1/search") u.searchParams.set("portal", portal);
			return fetch(u, { credentials: "omit" }).then(function (r) {
				if (!r.ok) throw new Error("HTTP " + r.status);
				return r.json();
			});
		}
		num(n) { return new Intl.NumberFormat(LOCALES[this.s.lang]).format(n); }
		date(iso) {
			if (!iso) return "—";
			var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
			if (!m) return iso;
			var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])), l = this.s.lang;
			return new Intl.DateTimeFormat(LOCALES[l], { timeZone: "UTC", year: "numeric", month: l === "vi" ? "2-digit" : "long", day: l === "vi" ? "2-digit" : "numeric" }).format(d);
		}
		status(code) { var s = STATUS[code]; return s ? s[LANGS.indexOf(this.s.lang)] : code || "—"; }
		/* ---- rendering ---- */
		render(focus) {
			var s = this.s;
			this.root.textContent = "";
			this.root.appendChild(h("style", { text: CSS }));
			this.live = h("p", { "class": "sr", role: "status", "aria-live": "polite" });
			this.body = h("div", { "class": "body" });
			this.wrap = h("section", { "class": "vb", lang: s.lang, "aria-label": this.t("widget") },
				this.form(), this.langs(), this.live, this.body);
			this.root.appendChild(this.wrap);
			if (s.doc) this.details(s.doc, focus);
			else if (s.q || s.in_force_on || FACETS.some(function (f) { return s[f].length; })) this.results(focus);
			if (focus === "q") this.input.focus();
			if (focus === "lang") this.root.querySelector(".langs [aria-pressed=true]").focus();
		}
		langs() {
			var self = this;
			return h("div", { "class": "langs", role: "group", "aria-label": this.t("lang") },
				LANGS.map(function (l) {
					return h("button", { type: "button", lang: l, "aria-pressed": String(l === self.s.lang), text: NAMES[l],
						onclick: function () { self.go({ lang: l }, true, "lang"); } });
				}));
		}
		form() {
			var self = this, id = "q";
			this.input = h("input", { type: "search", id: id, name: "q", value: this.s.q, maxlength: "1024", autocomplete: "off",
				role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "sugg" });
			this.sugg = h("ul", { id: "sugg", role: "listbox", "class": "sugg", "aria-label": this.t("suggest"), hidden: true });
			this.input.addEventListener("input", function () { self.suggest(); });
			this.input.addEventListener("keydown", function (e) { self.suggestKey(e); });
			this.input.addEventListener("blur", function () { setTimeout(function () { self.closeSugg(); }, 150); });
			return h("form", { role: "search", onsubmit: function (e) {
				e.preventDefault();
				self.closeSugg();
				var ch = { q: self.input.value.trim(), page: 1, doc: "", in_force_on: DATE.test(self.inf.value) ? self.inf.value : "" };
				FACETS.forEach(function (f) { ch[f] = []; });
				self.go(ch, true, "q");
			} }, h("label", { "for": id, "class": "q", text: this.t("label") }),
			h("div", { "class": "combo" }, this.input, this.sugg),
			h("button", { type: "submit", "class": "btn", text: this.t("search") }),
			h("div", { "class": "opt" }, h("label", { "for": "inf", text: this.t("inforce") }),
				this.inf = h("input", { type: "date", id: "inf", name: "in_force_on", value: this.s.in_force_on })));
		}
		suggest() {
			var self = this, q = this.input.value, n = ++this.sseq;
			clearTimeout(this.timer);
			if (q.trim().length < 2) return this.closeSugg();
			this.timer = setTimeout(function () {
				self.get("/api/v1/suggest", { q: q, limit: 8 }).then(function (r) {
					if (n !== self.sseq) return;
					self.sugg.textContent = "";
					self.active = -1;
					(r.results || []).forEach(function (x, i) {
						self.sugg.appendChild(h("li", { id: "sugg-" + i, role: "option", "aria-selected": "false", lang: "vi", "data-id": x.id,
							text: (x.number ? x.number + " — " : "") + (x.label || x.abstract || ""),
							onmousedown: function (e) { e.preventDefault(); self.pick(x.id); } }));
					});
					var any = self.sugg.children.length > 0;
					self.sugg.hidden = !any;
					self.input.setAttribute("aria-expanded", String(any));
				}).catch(function () { self.closeSugg(); });
			}, 150);
		}
		suggestKey(e) {
			var items = this.sugg.children, n = items.length;
			if (this.sugg.hidden || !n) return;
			if (e.key === "ArrowDown" || e.key === "ArrowUp") {
				e.preventDefault();
				this.active = e.key === "ArrowDown" ? (this.active + 1) % n : this.active <= 0 ? n - 1 : this.active - 1;
				for (var i = 0; i < n; i++) items[i].setAttribute("aria-selected", String(i === this.active));
				this.input.setAttribute("aria-activedescendant", items[this.active].id);
			} else if (e.key === "Enter" && this.active >= 0) {
				e.preventDefault();
				this.pick(items[this.active].getAttribute("data-id"));
			} else if (e.key === "Escape") {
				e.preventDefault(); /* close the list, keep the text */
				this.closeSugg();
			}
		}
		closeSugg() {
			clearTimeout(this.timer);
			this.sseq++;
			this.sugg.hidden = true;
			this.input.setAttribute("aria-expanded", "false");
			this.input.removeAttribute("aria-activedescendant");
		}
		pick(id) { this.closeSugg(); this.go({ doc: String(id) }, true, "doc"); }
		results(focus) {
			var s = this.s, self = this, n = ++this.seq, params = { q: s.q, page: s.page, per_page: PER_PAGE, lang: s.lang, in_force_on: s.in_force_on };
			FACETS.forEach(function (f) { params[f] = s[f]; });
			this.body.textContent = this.t("loading");
			this.get("/api/v1/search", params).then(function (r) {
				if (n !== self.seq) return;
				var msg = r.total ? self.t("found", self.num(r.total)) : self.t("none");
				self.body.textContent = "";
				var dym = r.did_you_mean && r.did_you_mean.query && r.did_you_mean.total ? h("p", null, self.t("didyou") + " ",
					h("a", { href: "#", lang: "vi", text: r.did_you_mean.query, onclick: function (e) { e.preventDefault(); self.go({ q: r.did_you_mean.query, page: 1 }, true, "q"); } })) : null;
				self.body.appendChild(h("div", { "class": "layout" }, self.facets(r.facets || {}),
					h("section", { "aria-labelledby": "res-h" }, h("h2", { id: "res-h", tabindex: "-1", text: self.t("results") }),
						h("p", { "class": "total", text: msg }), dym,
						h("ol", { "class": "hits", start: (s.page - 1) * PER_PAGE + 1 }, (r.hits || []).map(self.hit.bind(self))),
						self.paging(r.total))));
				self.live.textContent = msg;
				if (focus === "results") self.root.getElementById("res-h").focus();
				if (focus && focus.indexOf && focus.indexOf("hit-") === 0 && self.root.getElementById(focus)) self.root.getElementById(focus).focus();
				if (focus && focus.indexOf && focus.indexOf("f-") === 0 && self.root.getElementById(focus)) self.root.getElementById(focus).focus();
			}).catch(function () { if (n === self.seq) self.fail(); });
		}
		fail() { this.body.textContent = ""; this.body.appendChild(h("p", { "class": "alert", role: "alert", text: this.t("error") })); }
		facets(fs) {
			var self = this, s = this.s;
			/* Folded on narrow screens (200 % zoom, phones) so the results
			 * come first; the reader's choice is kept while searching. */
			if (this.facetsOpen == null) this.facetsOpen = window.innerWidth > 768;
			var det = h("details", { open: this.facetsOpen, ontoggle: function () { self.facetsOpen = det.open; } },
				h("summary", null, h("h2", { id: "fil-h", text: this.t("filters") })),
				FACETS.map(function (f) {
					if (!fs[f] || !fs[f].length) return null;
					return h("fieldset", null, h("legend", { text: self.t(f) }), fs[f].map(function (v, i) {
						var id = "f-" + f + "-" + i, on = s[f].indexOf(String(v.value)) >= 0;
						var cb = h("input", { type: "checkbox", id: id, checked: on, onchange: function () {
							var vals = s[f].filter(function (x) { return x !== String(v.value); });
							if (cb.checked) vals.push(String(v.value));
							var ch = { page: 1 };
							ch[f] = vals;
							self.go(ch, true, id);
						} });
						var label = f === "status" ? self.status(v.value) : String(v.value);
						return h("label", { "for": id }, cb, " ", h("span", { lang: f === "form" || f === "issuer" ? "vi" : null, text: label }),
							" ", h("span", { "class": "count", text: "(" + self.num(v.count) + ")" }));
					}));
				}));
			return h("nav", { "aria-labelledby": "fil-h" }, det);
		}
		hit(x, i) {
			var self = this, id = "hit-" + x.id;
			return h("li", null, h("article", null,
				h("h3", { lang: "vi" }, h("a", { id: id, href: this.api + x.uri, onclick: function (e) { e.preventDefault(); self.go({ doc: String(x.id) }, true, "doc"); } },
					(x.form ? x.form + " " : "") + (x.number || this.t("nonumber")))),
				x.abstract ? h("p", { lang: "vi", text: x.abstract }) : null,
				h("dl", { "class": "meta" }, h("dt", { text: this.t("f_issuer") }), h("dd", { lang: "vi", text: x.issuer || "—" }),
					h("dt", { text: this.t("f_issued") }), h("dd", { text: this.date(x.issue_date) }),
					h("dt", { text: this.t("f_status") }), h("dd", { text: this.status(x.status) })),
				x.snippet ? snippet(x.snippet) : null));
		}
		paging(total) {
			var self = this, s = this.s, pages = Math.min(Math.ceil(total / PER_PAGE), Math.floor(10000 / PER_PAGE)), lo, hi, p, items = [];
			if (pages <= 1) return null;
			function btn(page, text, label, cur) {
				return h("li", null, h("button", { type: "button", "aria-label": label, "aria-current": cur ? "page" : null, text: text,
					onclick: function () { self.go({ page: page }, true, "results"); } }));
			}
			if (s.page > 1) items.push(btn(s.page - 1, "«", this.t("prev")));
			lo = Math.max(1, s.page - 4);
			hi = Math.min(pages, lo + 8);
			for (p = lo; p <= hi; p++) items.push(btn(p, String(p), this.t("page", p), p === s.page));
			if (s.page < pages) items.push(btn(s.page + 1, "»", this.t("next")));
			return h("nav", { "aria-label": this.t("pages") }, h("ul", { "class": "paging" }, items));
		}
		/* A translation of the document, or the original it translates
		 * (relation translation_of, in either direction), opens here too. */
		translations(d) {
			var self = this, rel = d.relations || {}, items = [].concat(rel.outgoing || [], rel.incoming || []).filter(function (r) {
				return r.type === "translation_of" && r.document && r.document.id;
			});
			if (!items.length) return null;
			return h("ul", { "class": "translations" }, items.map(function (r) {
				var doc = r.document, label = (r.label && r.label[self.s.lang]) || r.type;
				return h("li", null, label + ": ", h("a", { href: self.api + "/documents/" + doc.id,
					text: (doc.form ? doc.form + " " : "") + (doc.number || self.t("nonumber")),
					onclick: function (e) { e.preventDefault(); self.go({ doc: String(doc.id) }, true, "doc"); } }));
			}));
		}
		details(id, focus) {
			var self = this, n = ++this.seq;
			this.body.textContent = this.t("loading");
			this.get("/api/v1/documents/" + encodeURIComponent(id)).then(function (d) {
				if (n !== self.seq) return;
				var title = (d.form ? d.form + " " : "") + (d.number || self.t("nonumber"));
				function row(k, v, data) { return [h("dt", { text: self.t(k) }), h("dd", { lang: data && v ? "vi" : null, text: v || "—" })]; }
				var signers = (d.signers || []).map(function (x) { return x.name + (x.title ? " (" + x.title + ")" : ""); }).join("; ");
				var files = d.files || [];
				self.body.textContent = "";
				self.body.appendChild(h("article", { "aria-labelledby": "doc-h" },
					h("button", { type: "button", "class": "btn", text: "« " + self.t("back"),
						onclick: function () { self.go({ doc: "" }, true, "hit-" + d.id); } }),
					h("h2", { id: "doc-h", tabindex: "-1", lang: "vi", text: title }),
					d.abstract ? h("p", { lang: "vi", text: d.abstract }) : null,
					h("p", { "class": "source", text: self.t("source") }),
					h("dl", { "class": "props" }, row("f_form", d.form, 1), row("f_issuer", d.issuer, 1), row("f_number", d.number),
						row("f_issued", d.issue_date && self.date(d.issue_date)), row("f_effective", d.effective_date && self.date(d.effective_date)),
						row("f_expiry", d.expiry_date && self.date(d.expiry_date)), row("f_abstract", d.abstract, 1),
						row("f_signer", signers, 1), row("f_fields", (d.fields || []).join(", "), 1), row("f_status", self.status(d.status))),
					h("h3", { text: self.t("files") }),
					files.length ? h("ul", { "class": "files" }, files.map(function (f) {
						return h("li", null, self.t("download") + ": ", h("a", { href: self.api + f.url, download: f.name || true, lang: "vi", text: f.name || "file" }),
						" (" + (f.media_type ? f.media_type + ", " : "") + self.num(Math.max(1, Math.round(f.size / 1024))) + " KB)");
					})) : h("p", { text: self.t("nofiles") }),
					self.translations(d),
					h("p", null, h("a", { href: self.api + "/documents/" + d.id + "?lang=" + self.s.lang, text: self.t("fullpage") }))));
				self.live.textContent = self.t("opened", title);
				if (focus === "doc") self.root.getElementById("doc-h").focus();
			}).catch(function () { if (n === self.seq) self.fail(); });
		}
	}
	if (!customElements.get("vanban-search")) customElements.define("vanban-search", VanbanSearch);
})();
