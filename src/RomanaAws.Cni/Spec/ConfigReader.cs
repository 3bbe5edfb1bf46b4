using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RomanaAws.Cni.Spec;

/// <summary>Parses the network configuration from stdin. Pure: bytes in, <see cref="PluginConfig"/> or a <see cref="CniFailure"/> (code 7 naming the key, 1 for the version).</summary>
internal static class ConfigReader
{
    private const int MaxBytes = 1 << 20;

    public static PluginConfig Read(ReadOnlySpan<byte> stdin, CniCommand command)
    {
        if (stdin.Length > MaxBytes)
        {
            throw Invalid($"the network configuration on stdin is {stdin.Length} bytes; at most {MaxBytes} are accepted");
        }

        if (stdin.Trim(" \t\r\n"u8).IsEmpty)
        {
            if (command == CniCommand.Version)
            {
                return new PluginConfig { CniVersion = CniVersions.Latest, Name = "" };
            }

            throw Invalid("no network configuration on stdin (expected a JSON object with cniVersion, name and type)");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdin.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new CniFailure(CniErrorCode.InvalidConfig, $"the network configuration on stdin is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"the network configuration must be a JSON object, not {Kind(root)}");
            }

            var version = String(root, "cniVersion") ?? (command == CniCommand.Version ? CniVersions.Latest : throw Invalid("cniVersion is missing (expected one of 0.4.0, 1.0.0, 1.1.0)"));
            if (command == CniCommand.Version)
            {
                return new PluginConfig { CniVersion = version, Name = String(root, "name") ?? "" };
            }

            CniVersions.Require(version, command);
            var name = String(root, "name");
            if (string.IsNullOrWhiteSpace(name))
            {
                throw Invalid("name is missing or empty (the network's name, for example \"romana-aws\")");
            }

            var socket = String(root, "agentSocket") ?? PluginConfig.DefaultSocket;
            if (!socket.StartsWith('/') || System.Text.Encoding.UTF8.GetByteCount(socket) > 107)
            {
                throw Invalid($"agentSocket '{CniArgs.Clip(socket)}' must be an absolute path of at most 107 bytes (a unix socket)");
            }

            var owner = String(root, "defaultOwner") ?? "default";
            if (owner.Length is 0 or > 253)
            {
                throw Invalid($"defaultOwner '{CniArgs.Clip(owner)}' must be 1–253 characters (a namespace name)");
            }

            return new PluginConfig
            {
                CniVersion = version,
                Name = name,
                AgentSocket = socket,
                Mtu = Mtu(root),
                Gateway = Gateway(root),
                DefaultOwner = owner,
                PrevResult = root.TryGetProperty("prevResult", out var prev) && prev.ValueKind != JsonValueKind.Null ? ReadPrevResult(prev) : null,
                ValidAttachments = command == CniCommand.Gc ? ValidAttachments(root) : [],
            };
        }
    }

    /// <summary>The config's cniVersion if it can be read at all (for the error JSON of a failure before the config is validated).</summary>
    public static string SniffVersion(byte[] stdin)
    {
        try
        {
            using var document = JsonDocument.Parse(stdin, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("cniVersion", out var v) && v.ValueKind == JsonValueKind.String
                && CniVersions.Supported.Contains(v.GetString()) ? v.GetString()! : CniVersions.Latest;
        }
        catch (JsonException)
        {
            return CniVersions.Latest;
        }
    }

    private static int? Mtu(JsonElement root)
    {
        if (!root.TryGetProperty("mtu", out var mtu) || mtu.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (mtu.ValueKind != JsonValueKind.Number || !mtu.TryGetInt32(out var value) || value is < 68 or > 65535)
        {
            throw Invalid($"mtu {CniArgs.Clip(mtu.GetRawText())} must be a whole number from 68 to 65535 (9001 on VPC jumbo frames); leave it out to use the node's primary interface MTU");
        }

        return value;
    }

    private static IPAddress Gateway(JsonElement root)
    {
        var text = String(root, "gateway");
        if (text is null)
        {
            return PluginConfig.DefaultGateway;
        }

        // Dotted quad only: IPAddress.TryParse also takes shorthand ("169.254.1" is 169.254.0.1), which is never what was meant.
        if (!IPAddress.TryParse(text, out var gateway) || gateway.AddressFamily != AddressFamily.InterNetwork || gateway.ToString() != text || gateway.GetAddressBytes() is not [169, 254, _, _])
        {
            throw Invalid($"gateway '{CniArgs.Clip(text)}' must be an IPv4 link-local address in 169.254.0.0/16 (default 169.254.1.1)");
        }

        return gateway;
    }

    private static PrevResult ReadPrevResult(JsonElement prev)
    {
        if (prev.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"prevResult must be a JSON object, not {Kind(prev)}");
        }

        var interfaces = new List<ResultInterface>();
        foreach (var item in Array(prev, "interfaces", "prevResult.interfaces"))
        {
            interfaces.Add(new ResultInterface(String(item, "name") ?? "", String(item, "mac"), String(item, "sandbox")));
        }

        var ips = new List<ResultIp>();
        foreach (var item in Array(prev, "ips", "prevResult.ips"))
        {
            int? index = item.TryGetProperty("interface", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : null;
            ips.Add(new ResultIp(String(item, "address") ?? throw Invalid("prevResult.ips[].address is missing"), index));
        }

        return new PrevResult(interfaces, ips);
    }

    private static List<(string, string)> ValidAttachments(JsonElement root)
    {
        var valid = new List<(string, string)>();
        foreach (var item in Array(root, "cni.dev/valid-attachments", "cni.dev/valid-attachments"))
        {
            var container = String(item, "containerID");
            var ifName = String(item, "ifname");
            if (string.IsNullOrEmpty(container) || string.IsNullOrEmpty(ifName))
            {
                throw Invalid("cni.dev/valid-attachments entries need containerID and ifname");
            }

            valid.Add((container, ifName));
        }

        return valid;
    }

    private static List<JsonElement> Array(JsonElement parent, string key, string path)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? e : throw Invalid($"{path} entries must be objects, not {Kind(e)}")).ToList()
            : throw Invalid($"{path} must be an array, not {Kind(value)}");
    }

    private static string? String(JsonElement parent, string key) =>
        !parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Invalid($"{key} must be a string, not {(value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetRawText() : $"{Kind(value)} {CniArgs.Clip(value.GetRawText())}")}");

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    private static CniFailure Invalid(string message) => new(CniErrorCode.InvalidConfig, message);
}
