// Photos placed in the body (body-editor.js): <figure data-photo="ID"></figure>, empty,
// at the top level only; the server puts the captioned picture there. The editor shows
// the thumbnail and caption of the article's saved photos, which the widget lists in
// the textarea's data-photos (articles/admin/editor.py).
import { Node, crel, gettext } from "../../django_prose_editor/editor.js"

const DIGITS = /^\d+$/

function photoView(photo, id) {
  const dom = crel("figure", { className: "antd-photo", "data-photo": id })
  if (!photo) {
    dom.classList.add("antd-photo--missing")
    dom.append(crel("figcaption", {
      textContent: gettext("Photo #%s is not one of this article's saved photos: delete it here.").replace("%s", id),
    }))
    return dom
  }
  if (photo.thumbnail) dom.append(crel("img", { src: photo.thumbnail, alt: photo.alt || "", draggable: false }))
  dom.append(crel("figcaption", { textContent: photo.caption || gettext("(no caption)") }))
  return dom
}

export const PlacedPhoto = Node.create({
  name: "photo",
  // Not "block": lists, quotes and table cells hold blocks, and a photo stands between them.
  group: "topLevel",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { photos: new Map() }
  },

  addAttributes() {
    return {
      photo: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-photo"),
        renderHTML: (attributes) => ({ "data-photo": attributes.photo }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-photo]", getAttrs: (element) => DIGITS.test(element.getAttribute("data-photo")) && null }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    const photos = this.options.photos
    return ({ node }) => ({ dom: photoView(photos.get(node.attrs.photo), node.attrs.photo) })
  },
})

// Between blocks, never inside one: before the block the cursor is in when it stands
// at its start, in place of an empty paragraph, otherwise after it.
export function placement(state) {
  const { $from, from, to } = state.selection
  if ($from.depth === 0) return { from: to, to }
  const start = $from.before(1)
  const end = $from.after(1)
  const block = $from.node(1)
  if (block.type.name === "paragraph" && block.content.size === 0) return { from: start, to: end }
  const atStart = state.doc.textBetween(start, from, "\n", "\n") === ""
  return atStart ? { from: start, to: start } : { from: end, to: end }
}

export function placePhoto(editor, id) {
  const range = placement(editor.state)
  editor.chain().focus().insertContentAt(range, { type: "photo", attrs: { photo: String(id) } })
    .setNodeSelection(range.from).scrollIntoView().run()
}

export function placedIds(doc) {
  const ids = new Set()
  doc.forEach((node) => {
    if (node.type.name === "photo") ids.add(node.attrs.photo)
  })
  return ids
}

function photoLine(photo) {
  const parts = []
  if (photo.thumbnail) parts.push(crel("img", { src: photo.thumbnail, alt: "" }))
  parts.push(crel("span", { textContent: photo.caption || gettext("(no caption)") }))
  return parts
}

function unsavedText(photos) {
  return photos === null
    ? gettext("Save the article to place its photos in the body.")
    : gettext("This article has no saved photos yet: add them under Photos below and save the article to place them in the body.")
}

function pickerContent(editor, photos, close) {
  if (!photos || !photos.length) return [crel("p", { textContent: unsavedText(photos) })]
  const placed = placedIds(editor.state.doc)
  const list = crel("ul", { className: "antd-photo-choices" }, photos.map((photo) => {
    const id = String(photo.id)
    const button = crel("button", { type: "button", disabled: placed.has(id) }, photoLine(photo))
    if (placed.has(id)) button.append(crel("small", { textContent: gettext("already in the body") }))
    button.addEventListener("click", () => {
      close()
      placePhoto(editor, id)
    })
    return crel("li", {}, [button])
  }))
  const help = crel("p", {
    className: "prose-editor-help",
    textContent: gettext("Photos just added under Photos below can be placed once the article is saved."),
  })
  return [list, help]
}

// A dialog of its own in <body>: inside the admin's form, its buttons would be the form's.
export function openPhotoPicker(editor, photos) {
  const close = () => dialog.close()
  const cancel = crel("button", { type: "button", textContent: gettext("Close") })
  cancel.addEventListener("click", close)
  const dialog = crel("dialog", { className: "prose-editor-dialog antd-photo-picker" }, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: gettext("Insert a photo in the body") }),
    ...pickerContent(editor, photos, close),
    crel("div", { className: "prose-editor-dialog-buttons" }, [cancel]),
  ])
  dialog.addEventListener("close", () => dialog.remove())
  document.body.append(dialog)
  dialog.showModal()
}

// Under the editor: what readers will see after the body, since it is not placed.
export function showUnplaced(editor, note, photos) {
  let shown = null
  const render = () => {
    const rest = photos === null ? null : photos.filter((photo) => !placedIds(editor.state.doc).has(String(photo.id)))
    const key = rest === null ? "unsaved" : rest.map((photo) => photo.id).join(",")
    if (key === shown) return
    shown = key
    note.hidden = rest !== null && !rest.length
    if (rest === null) {
      note.replaceChildren(crel("p", { textContent: unsavedText(null) }))
      return
    }
    note.replaceChildren(
      crel("p", { textContent: gettext("Photos not placed in the body, shown after it:") }),
      crel("ul", {}, rest.map((photo) => crel("li", {}, photoLine(photo)))),
    )
  }
  editor.on("update", render)
  render()
}
