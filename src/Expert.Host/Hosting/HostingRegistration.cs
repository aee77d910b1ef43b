using Microsoft.AspNetCore.Hosting;

namespace Expert.Host.Hosting;

internal static class HostingRegistration
{
    /// <summary>Where the host listens when nothing else says: loopback, HTTP/2 without TLS (h2c).</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>
    /// Listens on <see cref="DefaultUrls"/> unless an address is configured: <c>--urls</c>,
    /// ASPNETCORE_URLS / URLS, the *_HTTP_PORTS variables, or Kestrel:Endpoints. (A "Urls" key in
    /// appsettings.json would beat ASPNETCORE_URLS, so the default lives here instead.) Every
    /// endpoint speaks HTTP/2 only, as set by Kestrel:EndpointDefaults:Protocols in appsettings.json.
    /// </summary>
    public static WebApplicationBuilder UseExpertAddress(this WebApplicationBuilder builder)
    {
        IConfiguration c = builder.Configuration;
        bool configured = !string.IsNullOrWhiteSpace(c[WebHostDefaults.ServerUrlsKey])
                          || !string.IsNullOrWhiteSpace(c[WebHostDefaults.HttpPortsKey])
                          || !string.IsNullOrWhiteSpace(c[WebHostDefaults.HttpsPortsKey])
                          || c.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!configured) builder.WebHost.UseUrls(DefaultUrls);
        return builder;
    }
}
