/* The article's share links work without this script. It adds what needs one:
   "Sao chép liên kết" copies the address instead of opening it, and where the
   browser has the Web Share API a "Chia sẻ" button opens the system share sheet
   (Zalo, Messenger… as installed on the phone). Nothing here talks to another host. */
(function () {
  "use strict";
  var box = document.querySelector(".share[data-share-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-share-url");
  var title = box.getAttribute("data-share-title");
  var status = box.querySelector(".share-status");
  var list = box.querySelector(".share-links");

  function say(text) {
    // Emptied first so that the same words twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  var copy = box.querySelector("[data-share-copy]");
  if (copy && navigator.clipboard && navigator.clipboard.writeText) {
    copy.setAttribute("role", "button");
    copy.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.clipboard.writeText(url).then(function () {
        say("Đã sao chép liên kết");
      }, function () {
        say("Không sao chép được: hãy giữ ngón tay trên liên kết để sao chép.");
      });
    });
  }

  if (typeof navigator.share === "function") {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "share-native";
    button.textContent = "Chia sẻ";
    button.addEventListener("click", function () {
      // A reader closing the sheet rejects the promise: nothing to report.
      navigator.share({ title: title, url: url }).catch(function () {});
    });
    item.appendChild(button);
    list.insertBefore(item, list.firstChild);
  }
}());
