// Pyithu's service worker: a form post made while the link is down is kept on this phone
// (IndexedDB) and sent when the link returns. Every form carries a one-time token (form_once),
// so the server does the work once however often the post arrives (decision 0086). Forms with
// a passphrase or without a token are never kept.
"use strict";
var PAGE = "/offline/waiting/", SENT = "/offline/sent/", NAME = "pyithu", KEEP = "pyithu-sent";
var SECRET = /pass|secret|totp|recovery/i, flushing = null;

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(NAME).then(function (c) { return c.add(PAGE); })
    .then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

function store(mode, work) {
  return new Promise(function (ok, no) {
    var open = indexedDB.open(NAME, 1);
    open.onupgradeneeded = function () {
      open.result.createObjectStore("posts", { keyPath: "id", autoIncrement: true });
    };
    open.onerror = function () { no(open.error); };
    open.onsuccess = function () {
      var t = open.result.transaction("posts", mode), r = work(t.objectStore("posts"));
      t.oncomplete = function () { ok(r && r.result); };
      t.onerror = function () { no(t.error); };
    };
  });
}

function fields(type, body) {
  var text = new TextDecoder().decode(body);
  if (type.indexOf("multipart/") === 0) {
    var names = [], m, re = /name="([^"]*)"/g;
    while ((m = re.exec(text))) names.push(m[1]);
    return names;
  }
  return Array.from(new URLSearchParams(text).keys());
}

// A gateway's 502-504 means no app server answered: the post may be kept and sent again.
function lost(res) { return res.status >= 502 && res.status <= 504; }

function keep(request, body, answer) {
  var type = request.headers.get("Content-Type") || "", names = fields(type, body);
  var secret = names.some(function (n) { return SECRET.test(n); });
  if (secret || names.indexOf("form_once") < 0) return answer || Response.error();
  return store("readwrite", function (s) {
    return s.add({ url: request.url, type: type, body: body, at: Date.now() });
  }).then(function () { return caches.match(PAGE); })
    .then(function (page) { return page || Response.error(); });
}

function tell(message) {
  return self.clients.matchAll({ includeUncontrolled: true }).then(function (all) {
    all.forEach(function (c) { c.postMessage(message); });
  });
}

function send(post) {
  return fetch(post.url, {
    method: "POST", body: post.body, headers: { "Content-Type": post.type },
    credentials: "same-origin", redirect: "follow"
  }).then(function (res) {
    if (res.status === 409 || lost(res)) throw new Error("not yet");  // try again later
    var url = SENT + post.id + "/";
    return caches.open(KEEP).then(function (c) { return c.put(url, res); })
      .then(function () { return store("readwrite", function (s) { return s.delete(post.id); }); })
      .then(function () { return tell({ sent: post.id, url: url, left: 0 }); });
  });
}

function flush() {
  if (flushing) return flushing;
  flushing = store("readonly", function (s) { return s.getAll(); }).then(function (posts) {
    return (posts || []).reduce(function (done, post) {
      return done.then(function () { return send(post); });
    }, Promise.resolve());
  }).catch(function () {}).then(function () { flushing = null; });
  return flushing;
}

self.addEventListener("message", function (e) {
  if (e.data === "flush") e.waitUntil(flush());
});

self.addEventListener("fetch", function (e) {
  var r = e.request, path = new URL(r.url).pathname;
  if (r.method === "GET" && path.indexOf(SENT) === 0) {
    // The answer to a post sent later, shown once and then forgotten.
    e.respondWith(caches.open(KEEP).then(function (c) {
      return c.match(r.url).then(function (res) {
        return c.delete(r.url).then(function () { return res || Response.redirect("/", 303); });
      });
    }));
    return;
  }
  if (r.method !== "POST" || r.mode !== "navigate") return;
  e.respondWith(r.clone().arrayBuffer().then(function (body) {
    return fetch(r).then(function (res) {
      if (lost(res)) return keep(r, body, res);
      flush();
      return res;
    }, function () { return keep(r, body); });
  }));
});
