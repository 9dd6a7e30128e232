// Links in the body (body-editor.js): to another article of the archive, chosen by
// search (articles/admin/editor.py answers), stored with data-article="ID" so that the
// server can follow the article when its address changes; or to any web address.
import { Link, crel, gettext } from "../../django_prose_editor/editor.js"

const DIGITS = /^\d+$/
const WEB_ADDRESS = /^(https?:\/\/\S+|mailto:\S+)$/i
const SEARCH_DELAY_MS = 250

export const ArticleLink = Link.extend({
  addOptions() {
    return { ...this.parent?.(), searchUrl: "" }
  },

  addAttributes() {
    // A pasted link brings its target, rel, class and title along: not ours to keep.
    const ignored = { default: null, parseHTML: () => null, renderHTML: () => ({}) }
    return {
      ...this.parent?.(),
      target: ignored,
      rel: ignored,
      class: ignored,
      title: ignored,
      article: {
        default: null,
        parseHTML: (element) => (DIGITS.test(element.getAttribute("data-article") || "") ? element.getAttribute("data-article") : null),
        renderHTML: (attributes) => (attributes.article ? { "data-article": attributes.article } : {}),
      },
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      // The toolbar's button and Ctrl+K both come here, instead of the package's URL-only dialog.
      addLink: () => ({ editor }) => {
        openLinkDialog(editor, this.options.searchUrl)
        return true
      },
    }
  },
})

function setLink(editor, attrs, text) {
  const chain = editor.chain().focus()
  if (editor.isActive("link")) chain.extendMarkRange("link").setLink(attrs)
  else if (editor.state.selection.empty) chain.insertContent({ type: "text", text, marks: [{ type: "link", attrs }] })
  else chain.setLink(attrs)
  chain.run()
}

function field(id, label, input) {
  return crel("div", { className: "prose-editor-dialog-field" }, [crel("label", { htmlFor: id, textContent: label }), input])
}

function resultButton(article, choose) {
  const when = [article.date, article.public ? "" : gettext("not yet public")].filter(Boolean).join(" · ")
  const button = crel("button", { type: "button" }, [
    crel("span", { textContent: article.title }),
    crel("small", { textContent: when }),
  ])
  button.addEventListener("click", () => choose(article))
  return crel("li", {}, [button])
}

function searcher(searchUrl, status, results, choose) {
  let controller = null
  return async (query) => {
    controller?.abort()
    results.replaceChildren()
    if (!query) {
      status.textContent = ""
      return
    }
    controller = new AbortController()
    status.textContent = gettext("Searching…")
    try {
      const response = await fetch(`${searchUrl}?q=${encodeURIComponent(query)}`, {
        credentials: "same-origin", signal: controller.signal, headers: { Accept: "application/json" },
      })
      // A lapsed session answers with the login page.
      if (!response.ok || response.redirected) throw new Error(`HTTP ${response.status}`)
      const found = (await response.json()).results
      status.textContent = found.length ? "" : gettext("No article found.")
      results.replaceChildren(...found.map((article) => resultButton(article, choose)))
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = gettext("The search did not answer; try again.")
    }
  }
}

// A dialog of its own in <body>: inside the admin's form, Enter would save the article.
export function openLinkDialog(editor, searchUrl) {
  const current = editor.getAttributes("link")
  const query = crel("input", { id: "antd-link-query", type: "search", autocomplete: "off" })
  const address = crel("input", {
    id: "antd-link-address", type: "url", placeholder: "https://", value: current.article ? "" : current.href || "",
  })
  const status = crel("p", { className: "antd-link-status", role: "status" })
  const results = crel("ul", { className: "antd-link-results" })
  const submit = crel("button", { type: "submit", textContent: gettext("Link to this address") })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  const form = crel("form", {}, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: gettext("Link") }),
    field("antd-link-query", gettext("Find an article of the archive"), query),
    status,
    results,
    field("antd-link-address", gettext("Or a web address (https://…)"), address),
    crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog antd-link-dialog" }, [form])

  const choose = (article) => {
    dialog.close()
    setLink(editor, { href: article.url, article: String(article.id) }, article.title)
  }
  const search = searcher(searchUrl, status, results, choose)
  let timer = null
  query.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(() => search(query.value.trim()), SEARCH_DELAY_MS)
  })
  address.addEventListener("input", () => address.setCustomValidity(""))
  cancel.addEventListener("click", () => dialog.close())
  query.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return
    // Searches now, rather than submitting the address below.
    event.preventDefault()
    clearTimeout(timer)
    search(query.value.trim())
  })
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    const href = address.value.trim()
    if (!WEB_ADDRESS.test(href)) {
      address.setCustomValidity(gettext("A web address starts with https://, http:// or mailto:."))
      address.reportValidity()
      return
    }
    dialog.close()
    setLink(editor, { href, article: null }, href)
  })
  dialog.addEventListener("close", () => dialog.remove())
  document.body.append(dialog)
  dialog.showModal()
  query.focus()
}
