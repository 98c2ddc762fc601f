package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"deadyet/render/news"
)

// StatusSchema is the status.json "schema" this package writes.
const StatusSchema = 1

// Status is status.json; see the package documentation.
type Status struct {
	Schema    int           `json:"schema"`
	Verdict   Verdict       `json:"verdict"`
	Answer    string        `json:"answer"`
	Headline  string        `json:"headline"`
	Generated time.Time     `json:"generated"`
	Started   time.Time     `json:"started"`
	Vantage   string        `json:"vantage"`
	Groups    []StatusGroup `json:"groups"`
}

// StatusGroup is one group of status.json.
type StatusGroup struct {
	Name    string         `json:"name"`
	Title   string         `json:"title"`
	Checks  []Column       `json:"checks"`
	Servers []StatusServer `json:"servers"`
}

// StatusServer is one server of a group.
type StatusServer struct {
	Address string            `json:"address"`
	Main    bool              `json:"main"`
	Note    string            `json:"note,omitempty"`
	States  map[string]string `json:"states"`
}

// NoResult is the status.json state of a check the results hold nothing for.
const NoResult = "none"

// statusJSON encodes the view as status.json. encoding/json sorts map keys,
// so the bytes depend only on the view.
func statusJSON(v *View) ([]byte, error) {
	s := Status{
		Schema:    StatusSchema,
		Verdict:   v.Verdict,
		Answer:    v.Answer,
		Headline:  v.Headline,
		Generated: v.Run.Finished.UTC(),
		Started:   v.Run.Started.UTC(),
		Vantage:   v.Run.Vantage,
		Groups:    []StatusGroup{},
	}
	for _, t := range v.Tables {
		g := StatusGroup{Name: t.Name, Title: t.Title, Checks: append([]Column{}, t.Columns...), Servers: []StatusServer{}}
		for _, r := range t.Rows {
			srv := StatusServer{Address: r.Address, Main: r.Main, Note: r.Note, States: map[string]string{}}
			for i, c := range r.Cells {
				srv.States[t.Columns[i].Key] = cmp.Or(string(c.State), NoResult)
			}
			g.Servers = append(g.Servers, srv)
		}
		s.Groups = append(s.Groups, g)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("status.json: %w", err)
	}
	return append(b, '\n'), nil
}

// FeedEntries is how many news entries feed.xml carries, newest first.
const FeedEntries = 50

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	t       time.Time // of Updated, for the order
	Title   string    `xml:"title"`
	ID      string    `xml:"id"`
	Updated string    `xml:"updated"`
	Link    atomLink  `xml:"link"`
	Content atomText  `xml:"content"`
}

type atomFeedDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  string      `xml:"author>name"`
	Entries []atomEntry `xml:"entry"`
}

// absolute joins the site URL and a path relative to it.
func absolute(site, rel string) string {
	if !strings.HasSuffix(site, "/") {
		site += "/"
	}
	return site + rel
}

// atomFeed renders feed.xml from news and, with a history, the runs that
// changed something, newest first. The feed's updated is the newest entry's
// time (or the run's time when there is none), so the feed only changes
// when its entries do.
func atomFeed(v *View, entries []news.Entry, exec func(string, any) ([]byte, error)) ([]byte, error) {
	site := v.Page.URL
	f := atomFeedDoc{
		Title:  v.Page.Title,
		ID:     "urn:deadyet:feed",
		Author: v.Page.Title,
	}
	if site != "" {
		f.ID = site
		f.Links = []atomLink{
			{Rel: "alternate", Type: "text/html", Href: site},
			{Rel: "self", Type: "application/atom+xml", Href: absolute(site, "feed.xml")},
		}
	}
	// An entry's id and link: its anchor (frag) at the site's URL, or
	// without one a URN and a path; both depend only on the entry.
	entry := func(t time.Time, title, frag, body string) {
		id, href := "urn:deadyet:"+frag, dayPage(t)+"#"+frag
		if site != "" {
			id, href = absolute(site, "#"+frag), absolute(site, href)
		}
		f.Entries = append(f.Entries, atomEntry{t: t, Title: title, ID: id, Updated: t.UTC().Format(time.RFC3339),
			Link: atomLink{Rel: "alternate", Type: "text/html", Href: href}, Content: atomText{Type: "html", Body: body}})
	}
	for _, e := range entries[:min(len(entries), FeedEntries)] {
		entry(e.Date, e.Heading(), e.ID(), string(Markdown(e.Body)))
	}
	if v.History != nil {
		for _, r := range v.History.Runs {
			body, err := exec("feed-changes", r)
			if err != nil {
				return nil, err
			}
			entry(r.T, r.Title(), runID(r.T), string(body))
		}
	}
	// Newest first; on the same second, news before changes, each in its order.
	slices.SortStableFunc(f.Entries, func(a, b atomEntry) int { return b.t.Compare(a.t) })
	f.Updated = v.Run.Finished.UTC().Format(time.RFC3339)
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].Updated
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("feed.xml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
