using System.Text.Json;

namespace RomanaAws.Cni.Spec;

/// <summary>
/// Writes the plugin's answers in the shape each CNI version defines (SPEC.md "Result"). Pure. The ADD result lists
/// the host veth (no sandbox) and the pod interface (with sandbox), the IP pointing at the pod interface (index 1):
/// what <c>portmap</c> and <c>bandwidth</c> read from <c>prevResult</c>. 0.4.0 needs <c>ips[].version</c>; 1.1.0 adds
/// <c>interfaces[].mtu</c>.
/// </summary>
internal static class ResultWriter
{
    // Relaxed escaping: messages keep their quotes readable ("'eth0'", not \u0027); stdout is JSON, never HTML.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Add(string cniVersion, PodInterfaces pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return Write(w =>
        {
            w.WriteString("cniVersion", cniVersion);
            w.WriteStartArray("interfaces");
            Interface(w, cniVersion, pod.HostVeth, pod.HostMac, null, pod.Mtu);
            Interface(w, cniVersion, pod.IfName, pod.PodMac, pod.Sandbox, pod.Mtu);
            w.WriteEndArray();
            w.WriteStartArray("ips");
            w.WriteStartObject();
            if (cniVersion == "0.4.0")
            {
                w.WriteString("version", "4");
            }

            w.WriteString("address", $"{pod.Address}/32");
            w.WriteString("gateway", pod.Gateway.ToString());
            w.WriteNumber("interface", 1);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("routes");
            w.WriteStartObject();
            w.WriteString("dst", "0.0.0.0/0");
            w.WriteString("gw", pod.Gateway.ToString());
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("dns");
            w.WriteEndObject();
        });
    }

    public static byte[] Version(string cniVersion) => Write(w =>
    {
        w.WriteString("cniVersion", cniVersion);
        w.WriteStartArray("supportedVersions");
        foreach (var v in CniVersions.Supported)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    });

    public static byte[] Error(string cniVersion, int code, string message, string? details) => Write(w =>
    {
        w.WriteString("cniVersion", cniVersion);
        w.WriteNumber("code", code);
        w.WriteString("msg", message);
        if (!string.IsNullOrEmpty(details))
        {
            w.WriteString("details", details);
        }
    });

    private static void Interface(Utf8JsonWriter w, string cniVersion, string name, string mac, string? sandbox, int mtu)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("mac", mac);
        if (sandbox is not null)
        {
            w.WriteString("sandbox", sandbox);
        }

        if (cniVersion == "1.1.0")
        {
            w.WriteNumber("mtu", mtu);
        }

        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
