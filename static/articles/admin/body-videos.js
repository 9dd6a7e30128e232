// Videos in the body (body-editor.js): <figure data-video="URL"></figure>, empty, at the
// top level only, URL in the one spelling of articles/richtext/videos.py. Readers get a
// card with our own copy of the thumbnail (articles/oembed.py). The link is recognised
// here only to refuse another host at once; the server decides again on save.
import { Node, crel, gettext } from "../../django_prose_editor/editor.js"
import { placement } from "./body-photos.js"

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/
const YOUTUBE_HOSTS = ["youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"]
const FACEBOOK_HOSTS = ["facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"]
const FACEBOOK_VIDEO = /^\/((?:[A-Za-z0-9._-]+\/)*?)videos\/(?:[A-Za-z0-9._-]+\/)?(\d{1,20})\/?$/

function parsed(value) {
  const text = value.trim()
  if (!text || /[\s\\]/.test(text)) return null
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`)
    const defaultPort = url.port === "" || url.port === "80" || url.port === "443"
    if (!["http:", "https:"].includes(url.protocol) || url.username || url.password || !defaultPort) return null
    return url
  } catch {
    return null
  }
}

function youtube(url) {
  let id = null
  if (url.hostname === "youtu.be") id = url.pathname.slice(1).replace(/\/$/, "")
  else if (/^\/watch\/?$/.test(url.pathname)) id = url.searchParams.get("v")
  else id = (url.pathname.match(/^\/(?:shorts|embed|live)\/([^/]+)\/?$/) || [])[1]
  return id && YOUTUBE_ID.test(id) ? `https://www.youtube.com/watch?v=${id}` : null
}

function facebook(url) {
  if (url.hostname === "fb.watch") {
    const code = (url.pathname.match(/^\/([A-Za-z0-9_-]{1,40})\/?$/) || [])[1]
    return code ? `https://fb.watch/${code}/` : null
  }
  if (/^\/watch\/?$/.test(url.pathname)) {
    const id = url.searchParams.get("v")
    return id && /^\d{1,20}$/.test(id) ? `https://www.facebook.com/watch/?v=${id}` : null
  }
  const found = url.pathname.match(FACEBOOK_VIDEO)
  return found ? `https://www.facebook.com/${found[1]}videos/${found[2]}/` : null
}

// The stored spelling of a video link, or null for anything but YouTube and Facebook.
export function canonicalVideo(value) {
  const url = parsed(value)
  if (!url) return null
  if (url.hostname === "youtu.be" || YOUTUBE_HOSTS.includes(url.hostname)) return youtube(url)
  if (url.hostname === "fb.watch" || FACEBOOK_HOSTS.includes(url.hostname)) return facebook(url)
  return null
}

const hostName = (url) => (url.startsWith("https://www.youtube.com/") ? "YouTube" : "Facebook")

function videoView(url) {
  return crel("figure", { className: "antd-video", "data-video": url }, [
    crel("span", { className: "antd-video-badge", textContent: gettext("Video on %s").replace("%s", hostName(url)) }),
    crel("figcaption", { textContent: url }),
  ])
}

export const PlacedVideo = Node.create({
  name: "video",
  // Like a photo: between blocks, never inside a list, a quote or a table cell.
  group: "topLevel",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      video: {
        default: null,
        parseHTML: (element) => canonicalVideo(element.getAttribute("data-video") || ""),
        renderHTML: (attributes) => ({ "data-video": attributes.video }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-video]", getAttrs: (element) => (canonicalVideo(element.getAttribute("data-video") || "") ? null : false) }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    return ({ node }) => ({ dom: videoView(node.attrs.video) })
  },
})

function placeVideo(editor, url) {
  const range = placement(editor.state)
  editor.chain().focus().insertContentAt(range, { type: "video", attrs: { video: url } })
    .setNodeSelection(range.from).scrollIntoView().run()
}

// A dialog of its own in <body>: inside the admin's form, Enter would save the article.
export function openVideoDialog(editor) {
  const address = crel("input", { id: "antd-video-address", type: "url", placeholder: "https://www.youtube.com/watch?v=…" })
  const submit = crel("button", { type: "submit", textContent: gettext("Insert video") })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  const form = crel("form", {}, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: gettext("Insert a video in the body") }),
    crel("div", { className: "prose-editor-dialog-field" }, [
      crel("label", { htmlFor: "antd-video-address", textContent: gettext("Link of a YouTube or Facebook video") }),
      address,
    ]),
    crel("p", {
      className: "prose-editor-help",
      textContent: gettext("Readers see a card with its title and thumbnail, kept on our server; nothing is loaded from YouTube or Facebook until they click."),
    }),
    crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog antd-video-dialog" }, [form])
  address.addEventListener("input", () => address.setCustomValidity(""))
  cancel.addEventListener("click", () => dialog.close())
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    const url = canonicalVideo(address.value)
    if (!url) {
      address.setCustomValidity(gettext("Only YouTube videos (youtube.com, youtu.be) and Facebook videos (facebook.com/…/videos/…, fb.watch) can be inserted."))
      address.reportValidity()
      return
    }
    dialog.close()
    placeVideo(editor, url)
  })
  dialog.addEventListener("close", () => dialog.remove())
  document.body.append(dialog)
  dialog.showModal()
  address.focus()
}
