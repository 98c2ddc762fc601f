package render

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// md is the package's Markdown converter, safe for concurrent use: raw
// HTML is text ([linkPolicy], [htmlBlockAsText]) and links are filtered.
var md = goldmark.New(
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
		extension.Strikethrough,
		extension.Linkify,
	),
	goldmark.WithParserOptions(
		parser.WithASTTransformers(util.Prioritized(linkPolicy{}, 1000)),
	),
	// A lower number than the HTML renderer's 1000 registers later and wins.
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(htmlBlockAsText{}, 100))),
)

// Markdown renders src as HTML safe to put in a page: raw HTML comes out
// as text, links keep only http, https, mailto or relative destinations,
// images become links, and headings move down two levels (# is <h3>).
func Markdown(src string) template.HTML { return MarkdownAt(src, "") }

// rootKey holds, in a parse's context, the way back to the site's root.
var rootKey = parser.NewContextKey()

// MarkdownAt renders src like [Markdown] for a page at root ("../../")
// beneath the site's root: links made for the index are rebased on it.
func MarkdownAt(src, root string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var buf bytes.Buffer
	ctx := parser.NewContext()
	ctx.Set(rootKey, root)
	// Convert only fails when the writer does; a bytes.Buffer does not.
	if err := md.Convert([]byte(src), &buf, parser.WithContext(ctx)); err != nil {
		panic("render: markdown into a buffer: " + err.Error())
	}
	return template.HTML(buf.String()) // #nosec: escaped by goldmark, links filtered by linkPolicy
}

// rebase is dest, a link of the index, as a page at root must write it.
func rebase(dest []byte, root string) []byte {
	d := string(dest)
	switch {
	case root == "" || strings.HasPrefix(d, "/"):
		return dest
	case strings.HasPrefix(d, "#"):
		return []byte(root + "index.html" + d)
	}
	end := strings.IndexAny(d, "/?#")
	if end < 0 {
		end = len(d)
	}
	if strings.Contains(d[:end], ":") {
		return dest // has a scheme
	}
	return []byte(root + d)
}

// MarkdownInline renders src like [MarkdownAt] without the <p> around a
// single paragraph, for places already a block.
func MarkdownInline(src, root string) template.HTML {
	h := strings.TrimSpace(string(MarkdownAt(src, root)))
	if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
		h = h[len("<p>") : len(h)-len("</p>")]
	}
	return template.HTML(h)
}

// allowedURL reports whether a link destination has the scheme http,
// https or mailto, or none; the scheme read as a browser reads it.
func allowedURL(dest string) bool {
	s := strings.TrimLeftFunc(dest, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	end := strings.IndexAny(s, "/?#")
	if end < 0 {
		end = len(s)
	}
	colon := strings.IndexByte(s[:end], ':')
	if colon < 0 {
		return true // no scheme: relative to this site
	}
	switch strings.ToLower(s[:colon]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// allowedDestination is allowedURL of a destination as the renderer
// writes it: "javascript&#58;x" is seen for what it is.
func allowedDestination(dest []byte) bool {
	return allowedURL(string(util.URLEscape(dest, true)))
}

// linkPolicy is the parser.ASTTransformer that enforces [allowedURL],
// turns images into links and inline raw HTML into text, and moves
// headings down two levels.
type linkPolicy struct{}

func (linkPolicy) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	root, _ := pc.Get(rootKey).(string)
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.Image, *ast.AutoLink, *ast.RawHTML:
			nodes = append(nodes, n)
		case *ast.Heading:
			n.Level = min(n.Level+2, 6)
		}
		return ast.WalkContinue, nil
	})
	// Rewrite after the walk: changing the tree while walking it skips nodes.
	for _, n := range nodes {
		switch n := n.(type) {
		case *ast.Link:
			if !allowedDestination(n.Destination) {
				unwrap(n)
			} else {
				n.Destination = rebase(n.Destination, root)
			}
		case *ast.Image:
			if !allowedDestination(n.Destination) {
				unwrap(n)
				continue
			}
			link := ast.NewLink()
			link.Destination = rebase(n.Destination, root)
			link.Title = n.Title
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				link.AppendChild(link, c)
				c = next
			}
			if !link.HasChildren() {
				link.AppendChild(link, ast.NewString([]byte("image")))
			}
			n.Parent().ReplaceChild(n.Parent(), n, link)
		case *ast.AutoLink:
			url := string(n.URL(source))
			if n.AutoLinkType == ast.AutoLinkEmail {
				url = "mailto:" + url
			}
			if !allowedURL(string(util.URLEscape([]byte(url), false))) {
				n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(source)))
			}
		case *ast.RawHTML:
			text := ast.NewString(n.Segments.Value(source))
			text.SetRaw(true) // written escaped, as it is
			n.Parent().ReplaceChild(n.Parent(), n, text)
		}
	}
}

// unwrap replaces n by its children: a link without its link.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// htmlBlockAsText renders a block of raw HTML as the text it is.
type htmlBlockAsText struct{}

func (htmlBlockAsText) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	b := n.Lines().Value(source)
	if n.HasClosure() {
		b = append(b, n.ClosureLine.Value(source)...)
	}
	// A paragraph, like the text it is; in a tight list item, bare text as
	// the renderer writes a tight item's paragraph.
	tight := false
	if item, ok := n.Parent().(*ast.ListItem); ok {
		list, ok := item.Parent().(*ast.List)
		tight = ok && list.IsTight
	}
	if !tight {
		_, _ = w.WriteString("<p>")
	}
	_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(b, "\n")))
	if !tight {
		_, _ = w.WriteString("</p>")
	}
	_ = w.WriteByte('\n')
	return ast.WalkSkipChildren, nil
}
