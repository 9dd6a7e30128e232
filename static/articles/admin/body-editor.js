// The article body's editor (articles/admin/editor.py): django-prose-editor's Tiptap
// bundle, imported by a relative URL because the admin's CSP refuses the inline import
// map that the package's own widget writes. The schema is the server's allow-list
// (articles/richtext/): pasted Word, Docs or web HTML keeps what the schema knows and
// loses the rest, and the server sanitises again anyway.
import * as prose from "../../django_prose_editor/editor.js"
import { ArticleLink } from "./body-links.js"
import { PlacedPhoto, openPhotoPicker, showUnplaced } from "./body-photos.js"
import { PlacedVideo, openVideoDialog } from "./body-videos.js"

const { crel, gettext } = prose

// Word and web pages use every heading level; ours has two.
const Heading = prose.Heading.configure({ levels: [2, 3] }).extend({
  parseHTML() {
    return [
      { tag: "h1", attrs: { level: 2 } },
      { tag: "h2", attrs: { level: 2 } },
      ...["h3", "h4", "h5", "h6"].map((tag) => ({ tag, attrs: { level: 3 } })),
    ]
  },
})

// Numbering styles and start values are not in the allow-list.
const NumberedList = prose.OrderedList.configure({ enableListAttributes: false }).extend({
  addAttributes() {
    const attributes = this.parent?.() ?? {}
    const unrendered = (name) => ({ ...attributes[name], renderHTML: () => ({}) })
    return { ...attributes, start: unrendered("start"), type: unrendered("type") }
  },
})

// Widths pasted from Word or set by dragging are not in the allow-list.
const withoutWidths = (cell) => cell.extend({
  addAttributes() {
    return { ...this.parent?.(), colwidth: { default: null, parseHTML: () => null, renderHTML: () => ({}) } }
  },
})

// ProseMirror parses pasted HTML in a document under the admin's CSP, which reports
// every inline event handler it meets (none runs). They go first, so that the console
// keeps to real problems; the schema and the server would drop them anyway.
const HANDLER = /(<[a-z][^>]*?)\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)/gi
const withoutHandlers = (html) => {
  for (let before = null; before !== html;) {
    before = html
    html = html.replace(HANDLER, "$1")
  }
  return html
}
const PasteFilter = prose.Extension.create({
  name: "pasteFilter",
  addProseMirrorPlugins: () => [new prose.Plugin({ props: { transformPastedHTML: withoutHandlers } })],
})

const LABELS = {
  paragraph: gettext("Paragraph"),
  heading2: gettext("Subheading"),
  heading3: gettext("Minor subheading"),
  bold: gettext("Bold"),
  italic: gettext("Italic"),
  bulletList: gettext("Bulleted list"),
  orderedList: gettext("Numbered list"),
  blockquote: gettext("Quotation"),
  link: gettext("Link"),
  unlink: gettext("Remove link"),
  photo: gettext("Insert photo"),
  video: gettext("Insert video"),
  table: gettext("Insert table"),
  "table:addColumnAfter": gettext("Add column"),
  "table:deleteColumn": gettext("Delete column"),
  "table:addRowAfter": gettext("Add row"),
  "table:deleteRow": gettext("Delete row"),
  "table:mergeCells": gettext("Merge cells"),
  "table:splitCell": gettext("Split cell"),
  "table:toggleHeaderCell": gettext("Header cell"),
  "table:deleteTable": gettext("Delete table"),
  "history:undo": gettext("Undo"),
  "history:redo": gettext("Redo"),
}
const GROUPS = ["blockType -lists", "marks", "lists", "nodes -blockType -lists", "link", "photos", "table", "history"]

// The package's buttons are titled in English; ours are defined or retitled here.
function toolbar(photos) {
  return ({ editor, buttons, menu }) => {
    menu.defineItem({
      name: "link",
      groups: "link",
      button: buttons.material("insert_link"),
      command: (editor) => editor.commands.addLink(),
      active: (editor) => editor.isActive("link"),
    })
    menu.defineItem({
      name: "photo",
      groups: "photos",
      button: buttons.text(LABELS.photo),
      command: (editor) => openPhotoPicker(editor, photos),
    })
    menu.defineItem({
      name: "video",
      groups: "photos",
      button: buttons.text(LABELS.video),
      command: (editor) => openVideoDialog(editor),
    })
    // A small table with a header row; rows and columns are added from the toolbar.
    menu.defineItem({
      name: "table",
      groups: "table",
      button: buttons.material("grid_on"),
      command: (editor) => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    })
    const order = Object.keys(LABELS)
    const place = (item) => (order.includes(item.name) ? order.indexOf(item.name) : order.length)
    const groups = GROUPS.map((group) => menu.items(group).toSorted((a, b) => place(a) - place(b)))
      .filter((items) => items.length)
    for (const item of groups.flat()) {
      const label = LABELS[item.name]
      if (label && item.button) {
        item.button.title = label
        item.button.setAttribute("aria-label", label)
      }
    }
    return groups.map((items) => menu.buttonGroup({ editor, buttons }, items))
  }
}

function extensions(textarea, photos) {
  const index = new Map((photos || []).map((photo) => [String(photo.id), photo]))
  return [
    prose.Document.extend({ content: "(block | topLevel)+" }),
    prose.Paragraph,
    prose.Text,
    prose.HardBreak,
    Heading,
    prose.Bold,
    prose.Italic,
    ArticleLink.configure({
      searchUrl: textarea.dataset.linkSearch,
      autolink: false, // keeps the link mark from running on into what is typed after it
      protocols: [],
      isAllowedUri: (url) => /^(https?:|mailto:|\/(?!\/))/i.test(url),
    }),
    prose.Blockquote,
    prose.BulletList,
    NumberedList,
    prose.ListItem,
    prose.Table.configure({ resizable: false }),
    prose.TableRow,
    withoutWidths(prose.TableHeader),
    withoutWidths(prose.TableCell),
    PlacedPhoto.configure({ photos: index }),
    PlacedVideo,
    prose.History,
    prose.Dropcursor,
    prose.Gapcursor,
    PasteFilter,
    prose.Menu.configure({ items: toolbar(photos) }),
  ]
}

// A body written before rich text, or an autosaved copy of one: paragraphs
// separated by blank lines.
function asHtml(value) {
  if (!value.trim() || /^\s*</.test(value)) return value
  const paragraph = (text) => {
    const p = document.createElement("p")
    p.textContent = text.trim()
    return p.outerHTML
  }
  return value.split(/\n\s*\n/).filter((text) => text.trim()).map(paragraph).join("")
}

function start(textarea) {
  const photos = textarea.dataset.photos === undefined ? null : JSON.parse(textarea.dataset.photos)
  textarea.value = asHtml(textarea.value)
  const editor = prose.createTextareaEditor(textarea, extensions(textarea, photos))
  const note = crel("div", { className: "antd-body-photos", role: "status" })
  editor.view.dom.parentElement.append(note)
  showUnplaced(editor, note, photos)
  // The autosaved copy being restored (newsroom.js) writes the textarea.
  textarea.addEventListener("change", () => editor.commands.setContent(asHtml(textarea.value)))
}

document.querySelectorAll("textarea[data-body-editor]").forEach(start)
