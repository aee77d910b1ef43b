using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Expert.Host.Security;

/// <summary>
/// The addresses the host is configured to listen on, read the way Kestrel reads them (<c>urls</c> /
/// ASPNETCORE_URLS, the *_HTTP(S)_PORTS variables, <c>Kestrel:Endpoints:*:Url</c>), and whether every one of
/// them is loopback: the one case where the host may serve without authentication unless told otherwise.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>The configured addresses; a *_PORTS entry becomes <c>http://*:port</c>, as Kestrel binds it.</summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        var addresses = new List<string>();
        void AddList(string? value, Func<string, string>? format = null)
        {
            foreach (string part in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                addresses.Add(format is null ? part : format(part));
        }

        AddList(configuration[WebHostDefaults.ServerUrlsKey]);
        AddList(configuration[WebHostDefaults.HttpPortsKey], p => $"http://*:{p}");
        AddList(configuration[WebHostDefaults.HttpsPortsKey], p => $"https://*:{p}");
        foreach (IConfigurationSection endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            AddList(endpoint["Url"]);
        return addresses;
    }

    /// <summary>True when there is at least one address and every one is loopback (127.0.0.0/8, ::1 or localhost).</summary>
    public static bool AllLoopback(IReadOnlyList<string> addresses) => addresses.Count > 0 && addresses.All(IsLoopback);

    public static bool IsLoopback(string address)
    {
        int scheme = address.IndexOf("://", StringComparison.Ordinal);
        string rest = scheme < 0 ? address : address[(scheme + 3)..];
        int slash = rest.IndexOf('/');
        if (slash >= 0) rest = rest[..slash];
        string host;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0) return false;
            host = rest[1..close];
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip);
    }
}
