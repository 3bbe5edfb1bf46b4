using System.Text.Json;
using System.Text.Json.Nodes;

namespace RomanaAws.Agent.Cni;

/// <summary>
/// The network configuration list the runtime reads: romana-aws-cni first, then <c>portmap</c> (hostPort) chained on
/// its result. Written atomically (temp file, fsync, rename) so a runtime never reads half a file.
/// </summary>
public static class CniConflist
{
    public static string Render(CniNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plugin = new JsonObject
        {
            ["type"] = "romana-aws-cni",
            ["agentSocket"] = options.SocketPath,
            ["defaultOwner"] = options.DefaultOwner,
        };
        if (options.Mtu is { } mtu)
        {
            plugin["mtu"] = mtu;
        }

        var list = new JsonObject
        {
            ["cniVersion"] = options.ConfVersion,
            ["name"] = "romana-aws",
            ["plugins"] = new JsonArray(plugin, new JsonObject { ["type"] = "portmap", ["capabilities"] = new JsonObject { ["portMappings"] = true }, ["snat"] = true }),
        };
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Writes the conflist into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, CniNodeOptions options)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, CniNodeOptions.ConflistName);
        var temp = Path.Combine(directory, $".{CniNodeOptions.ConflistName}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(Render(options)));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return path;
    }
}
