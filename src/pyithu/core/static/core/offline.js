// Registers the service worker (sw.js) and, on the "kept on this phone" page, asks it to send
// what it kept whenever the link may be back, then says that it arrived.
(function () {
  var sw = navigator.serviceWorker;
  if (!sw) return;
  sw.register("/sw.js");
  var kept = document.getElementById("kept");
  if (!kept) return;
  function ask() { if (sw.controller) sw.controller.postMessage("flush"); }
  addEventListener("online", ask);
  setInterval(ask, 5000);
  sw.addEventListener("message", function (e) {
    if (!e.data || !e.data.sent) return;
    kept.hidden = true;
    document.getElementById("sent").hidden = false;
    document.getElementById("sent-link").href = e.data.url;
  });
})();
