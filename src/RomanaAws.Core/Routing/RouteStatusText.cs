using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace RomanaAws.Core.Routing;

/// <summary>The human name of a <see cref="RouteStatus"/>: the same one its JSON carries (its <see cref="JsonStringEnumMemberNameAttribute"/>).</summary>
public static class RouteStatusText
{
    private static readonly FrozenDictionary<RouteStatus, string> Labels = Enum.GetValues<RouteStatus>().ToFrozenDictionary(
        s => s,
        s => typeof(RouteStatus).GetField(s.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name);

    public static string Label(this RouteStatus status) => Labels[status];
}
