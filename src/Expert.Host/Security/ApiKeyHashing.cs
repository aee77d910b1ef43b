using System.Security.Cryptography;
using System.Text;

namespace Expert.Host.Security;

/// <summary>How API keys are kept: only their SHA-256, compared in constant time.</summary>
internal static class ApiKeyHashing
{
    public static byte[] Sha256(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(Sha256(key));

    public static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.All(char.IsAsciiHexDigit);

    /// <summary>The bytes of a base64 string, or null when it is not one.</summary>
    public static byte[]? TryBase64(string value)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
