package probe

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// TestGatewayOldTLS checks that the HTTPS gateway check still talks to a
// server of the gateways' time: TLS 1.0, RSA certificate, RSA key exchange.
func TestGatewayOldTLS(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "old"},
		NotBefore: time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS10, MaxVersion: tls.VersionTLS10,
		CipherSuites: []uint16{tls.TLS_RSA_WITH_AES_128_CBC_SHA},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 1024)
		c.Read(buf) // the request
		c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	port := ln.Addr().(*net.TCPAddr).Port
	r := probeGateway(ctx, Target{Group: "g", Address: "127.0.0.1", Check: Check{Key: "k", Kind: MSNP, Via: HTTPS, Version: "MSNP21", Port: port}})
	// The handshake worked: the answer is judged, and is no gateway's.
	if r.State != Foreign || !strings.Contains(r.Detail, "HTTP 200 without X-MSN-Messenger; cert CN=old, expires 2012-01-01") {
		t.Errorf("got %s", r)
	}
}
