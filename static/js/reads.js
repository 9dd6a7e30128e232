// "Đọc nhiều": one view of this article, sent once the page is shown to the reader
// (not while prerendered or in a background tab), even when the page came from a
// cache. Its script tag carries the article's id and where to send it.
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag || !navigator.sendBeacon) {
    return;
  }
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") {
      return;
    }
    sent = true;
    navigator.sendBeacon(tag.getAttribute("data-endpoint"), tag.getAttribute("data-article"));
  }
  send();
  document.addEventListener("visibilitychange", send);
})();
