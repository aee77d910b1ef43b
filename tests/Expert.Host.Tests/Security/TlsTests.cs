using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Expert.Host.Hosting;
using Expert.Host.Security;
using Expert.Host.Tests.DynamicMap;
using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.Security;

/// <summary>TLS from Kestrel's certificate configuration, over a real loopback socket, with a certificate made by the test.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_host_serves_over_TLS_with_a_configured_certificate_and_still_requires_the_key()
    {
        Directory.CreateDirectory(_folder.Path);
        using X509Certificate2 certificate = SelfSigned();
        string pfx = Path.Combine(_folder.Path, "host.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        var settings = new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Tls:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Tls:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Tls:Certificate:Password"] = "test-password",
            ["Model:CheckpointPath"] = typeof(TlsTests).Assembly.Location,
            ["Map:DataDirectory"] = Path.Combine(_folder.Path, "maps"),
            ["Security:ApiKeys:0:Principal"] = "alice",
            ["Security:ApiKeys:0:Roles"] = "maps",
            ["Security:ApiKeys:0:KeySha256"] = ApiKeyHashing.Sha256Hex(SecureHost.AliceKey),
        };
        await using EmbeddedExpertHost host = EmbeddedExpertHost.Build(settings, AppContext.BaseDirectory);
        await host.StartAsync(CancellationToken.None);
        string thumbprint = certificate.Thumbprint;
        GrpcChannel Channel(string? key)
        {
            var sockets = new SocketsHttpHandler();
            // The client trusts exactly this certificate, as grpcurl -cacert does.
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == thumbprint;
            HttpMessageHandler handler = key is null ? sockets : new KeyHandler(key) { InnerHandler = sockets };
            return GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { HttpHandler = handler });
        }

        using GrpcChannel withKey = Channel(SecureHost.AliceKey);
        using GrpcChannel withoutKey = Channel(null);
        Wire.EpisodeInfo opened = await new Wire.DynamicMapExpert.DynamicMapExpertClient(withKey).OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "tls" });
        RpcException anonymous = await Rpc.FailsAsync(() => new Wire.DynamicMapExpert.DynamicMapExpertClient(withoutKey)
            .ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);

        Assert.StartsWith("https://127.0.0.1:", host.Address);
        Assert.Equal("tls", opened.EpisodeId);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    private static X509Certificate2 SelfSigned()
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private sealed class KeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
