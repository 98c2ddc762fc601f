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

// CertName is the subject (CN) of the HTTPS gateways' self-signed certificate.
const CertName = "msntest"

// CertExpiry is when the gateways' certificate expires: in the future, so
// that Go's TLS client resumes sessions. See [Behavior.ExpiredCert].
var CertExpiry = time.Date(2039, time.December, 31, 0, 0, 0, 0, time.UTC)

// ExpiredCertExpiry is when Behavior.ExpiredCert's certificate expired.
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

// gatewayTLS is a TLS 1.2 server, as the real gateways were, with an ECDSA
// certificate that expires at notAfter.
func gatewayTLS(notAfter time.Time) *tls.Config {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: CertName},
		NotBefore:             time.Date(2014, time.May, 19, 0, 0, 0, 0, time.UTC),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var der []byte
	if err == nil {
		der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	}
	if err != nil {
		panic("msntest: " + err.Error()) // the system's random source failed
	}
	return &tls.Config{
		MaxVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	}
}
