// A small rich-text editor for <textarea data-richtext>: bold, italic, underline, lists,
// a heading and links, written back into the textarea as HTML. Without JavaScript the textarea
// stays a plain text box; the server keeps only an allowlist of tags either way.
(() => {
  const BUTTONS = [
    { command: "bold", icon: "type-bold", label: "Bold" },
    { command: "italic", icon: "type-italic", label: "Italic" },
    { command: "underline", icon: "type-underline", label: "Underline" },
    { command: "insertUnorderedList", icon: "list-ul", label: "Bulleted list" },
    { command: "insertOrderedList", icon: "list-ol", label: "Numbered list" },
    { command: "formatBlock", value: "h3", icon: "type-h3", label: "Heading" },
    { command: "formatBlock", value: "p", icon: "paragraph", label: "Paragraph" },
    { command: "createLink", icon: "link-45deg", label: "Link" },
  ];

  // What the editor starts with, read in an inert <template> (nothing in it runs or loads)
  // without elements or attributes that could run code. The server sanitises again on save.
  function safeFragment(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    holder.content.querySelectorAll("script, style, iframe, object, embed, img, svg, math, form")
      .forEach((element) => element.remove());
    holder.content.querySelectorAll("*").forEach((element) => {
      [...element.attributes].forEach((attribute) => {
        const unsafeLink = attribute.name === "href" && !/^(https?:|mailto:|#)/i.test(attribute.value.trim());
        if (attribute.name.startsWith("on") || attribute.name === "style" || unsafeLink) {
          element.removeAttribute(attribute.name);
        }
      });
    });
    return holder.content;
  }

  function setup(textarea) {
    const toolbar = document.createElement("div");
    toolbar.className = "btn-toolbar gap-1 mb-1";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");

    const editor = document.createElement("div");
    editor.className = "form-control";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (textarea.id) editor.setAttribute("aria-labelledby", `${textarea.id}-label`);
    editor.append(safeFragment(textarea.value));
    // Set through the CSSOM: the page's Content Security Policy forbids style attributes.
    editor.style.minHeight = `${Math.max(Number(textarea.rows) || 6, 4) * 1.5}rem`;
    editor.style.overflowY = "auto";

    const label = textarea.id ? document.querySelector(`label[for="${textarea.id}"]`) : null;
    if (label) label.id = `${textarea.id}-label`;

    const sync = () => {
      textarea.value = editor.innerHTML;
    };

    BUTTONS.forEach((spec) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-secondary btn-sm";
      button.title = spec.label;
      button.setAttribute("aria-label", spec.label);
      const icon = document.createElement("i");
      icon.className = `bi bi-${spec.icon}`;
      icon.setAttribute("aria-hidden", "true");
      button.append(icon);
      button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
      button.addEventListener("click", () => {
        editor.focus();
        if (spec.command === "createLink") {
          const url = window.prompt("Link address (https://…)", "https://");
          if (!url || !/^(https?:|mailto:)/i.test(url)) return;
          document.execCommand("createLink", false, url);
        } else {
          document.execCommand(spec.command, false, spec.value || null);
        }
        sync();
      });
      toolbar.append(button);
    });

    editor.addEventListener("input", sync);
    textarea.form.addEventListener("submit", sync);
    textarea.classList.add("d-none");
    textarea.before(toolbar, editor);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("textarea[data-richtext]").forEach(setup);
  });
})();
