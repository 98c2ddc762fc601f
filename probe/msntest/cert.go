package msntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"time"
)

// CertName is the subject (CN) of the HTTPS gateways' certificate: made in
// code at first use, self-signed, ECDSA P-256 (cheap to make and to
// handshake with).
const CertName = "msntest"

// CertExpiry is when the gateways' certificate expires. It lies in the
// future: Go's TLS client, the probe's, does not resume a session whose
// certificate has expired, and resumption is what keeps a run of thousands
// of HTTPS checks fast. [Behavior.ExpiredCert] gives the real gateways'
// state instead.
var CertExpiry = time.Date(2039, time.December, 31, 0, 0, 0, 0, time.UTC)

// ExpiredCertExpiry is when the certificate of Behavior.ExpiredCert
// expired: the day the last MSN servers went away.
var ExpiredCertExpiry = time.Date(2017, time.May, 19, 0, 0, 0, 0, time.UTC)

var (
	validTLS   = sync.OnceValue(func() *tls.Config { return gatewayTLS(CertExpiry) })
	expiredTLS = sync.OnceValue(func() *tls.Config { return gatewayTLS(ExpiredCertExpiry) })
)

// serverTLS is the TLS set-up of the HTTPS gateways of b.
func serverTLS(b *Behavior) *tls.Config {
	if b.ExpiredCert {
		return expiredTLS()
	}
	return validTLS()
}

// gatewayTLS makes a certificate that expires at notAfter, and a TLS 1.2
// server around it, as the real gateways were (they predate TLS 1.3). With
// TLS 1.2 a resumed session needs no key exchange at all.
func gatewayTLS(notAfter time.Time) *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("msntest: " + err.Error()) // the system's random source failed
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: CertName},
		NotBefore:             time.Date(2014, time.May, 19, 0, 0, 0, 0, time.UTC),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic("msntest: " + err.Error())
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic("msntest: " + err.Error())
	}
	return &tls.Config{
		MaxVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}},
	}
}
