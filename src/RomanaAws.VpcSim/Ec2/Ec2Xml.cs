using System.Globalization;
using System.Xml.Linq;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>Builds EC2 responses: elements in the 2016-11-15 namespace, lists as <c>…Set/item</c>.</summary>
internal static class Ec2Xml
{
    public const string ApiVersion = "2016-11-15";

    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static XElement Set<T>(string name, IEnumerable<T> items, Func<T, object?[]> item) =>
        new(Ns + name, items.Select(i => new XElement(Ns + "item", item(i))));

    public static XElement Response(string action, string requestId, params object?[] content) =>
        new(Ns + $"{action}Response", new XElement(Ns + "requestId", requestId), content);

    public static XElement Return(bool value = true) => E("return", value ? "true" : "false");

    public static XElement TagSet(SimTags tags) =>
        Set("tagSet", tags.All, t => [E("key", t.Key), E("value", t.Value)]);

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>EC2's error envelope (no namespace).</summary>
    public static XElement Error(string code, string message, string requestId) =>
        new("Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", code), new XElement("Message", message))),
            new XElement("RequestID", requestId));
}
