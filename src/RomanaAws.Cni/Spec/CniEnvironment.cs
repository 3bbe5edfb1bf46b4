using System.Text.RegularExpressions;

namespace RomanaAws.Cni.Spec;

/// <summary>The CNI_* environment a runtime sets, validated (SPEC.md "Parameters"); every problem is error code 4 naming the variable.</summary>
internal sealed partial record CniEnvironment(CniCommand Command, string ContainerId, string IfName, string? Netns, CniArgs Args)
{
    public static CniEnvironment Parse(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var command = variable("CNI_COMMAND") switch
        {
            null or "" => throw Invalid("CNI_COMMAND is not set; expected ADD, DEL, CHECK, VERSION, STATUS or GC"),
            "ADD" => CniCommand.Add,
            "DEL" => CniCommand.Del,
            "CHECK" => CniCommand.Check,
            "VERSION" => CniCommand.Version,
            "STATUS" => CniCommand.Status,
            "GC" => CniCommand.Gc,
            var other => throw Invalid($"CNI_COMMAND '{CniArgs.Clip(other)}' is not a CNI command; expected ADD, DEL, CHECK, VERSION, STATUS or GC"),
        };
        if (command is CniCommand.Version or CniCommand.Status or CniCommand.Gc)
        {
            return new CniEnvironment(command, "", "", null, CniArgs.None);
        }

        var containerId = variable("CNI_CONTAINERID");
        if (string.IsNullOrEmpty(containerId) || !ContainerIdPattern().IsMatch(containerId))
        {
            throw Invalid($"CNI_CONTAINERID '{CniArgs.Clip(containerId ?? "")}' is not a container ID (letters, digits, '_', '.', '-', starting with a letter or digit)");
        }

        var ifName = variable("CNI_IFNAME");
        if (string.IsNullOrEmpty(ifName) || System.Text.Encoding.UTF8.GetByteCount(ifName) > 15 || ifName is "." or ".." || ifName.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Invalid($"CNI_IFNAME '{CniArgs.Clip(ifName ?? "")}' is not a Linux interface name (1–15 bytes, no '/', ':' or spaces)");
        }

        var netns = variable("CNI_NETNS");
        if (command is CniCommand.Add or CniCommand.Check && string.IsNullOrEmpty(netns))
        {
            throw Invalid($"CNI_NETNS is not set; {command.ToString().ToUpperInvariant()} needs the path of the container's network namespace");
        }

        if (!string.IsNullOrEmpty(netns) && !netns.StartsWith('/'))
        {
            throw Invalid($"CNI_NETNS '{CniArgs.Clip(netns)}' is not an absolute path (for example /var/run/netns/cni-1234 or /proc/42/ns/net)");
        }

        return new CniEnvironment(command, containerId, ifName, string.IsNullOrEmpty(netns) ? null : netns, CniArgs.Parse(variable("CNI_ARGS")));
    }

    private static CniFailure Invalid(string message) => new(CniErrorCode.InvalidEnvironment, message);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.\\-]*$")]
    private static partial Regex ContainerIdPattern();
}
