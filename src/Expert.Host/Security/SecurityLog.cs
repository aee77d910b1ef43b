namespace Expert.Host.Security;

/// <summary>The security part of the host's log (event ids 900-919).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(900, LogLevel.Information, "Authentication is on: {ApiKeys} API key client(s), JWT {Jwt}; health and reflection stay anonymous")]
    public static partial void AuthenticationOn(this ILogger logger, int apiKeys, string jwt);

    [LoggerMessage(901, LogLevel.Warning, "Authentication is off: every caller who reaches {Addresses} may use every episode ({Reason})")]
    public static partial void AuthenticationOff(this ILogger logger, string addresses, string reason);

    [LoggerMessage(902, LogLevel.Warning, "{Rpc} refused for {Principal}: {Reason}")]
    public static partial void QuotaRefused(this ILogger logger, string rpc, string principal, string reason);
}
