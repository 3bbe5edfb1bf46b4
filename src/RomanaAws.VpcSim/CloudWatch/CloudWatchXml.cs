using System.Net;
using System.Xml.Linq;

namespace RomanaAws.VpcSim.CloudWatch;

/// <summary>CloudWatch Query responses: <c>{Action}Response/{Action}Result</c>, lists as <c>member</c>, and its error envelope.</summary>
internal static class CloudWatchXml
{
    public const string ApiVersion = "2010-08-01";

    public static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static XElement Members<T>(string name, IEnumerable<T> items, Func<T, object?[]> member) =>
        new(Ns + name, items.Select(i => new XElement(Ns + "member", member(i))));

    public static XElement Response(string action, string requestId, object?[]? result) =>
        new(Ns + $"{action}Response",
            result is null ? null : new XElement(Ns + $"{action}Result", result),
            new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", requestId)));

    public static XElement Error(string code, string message, string requestId, HttpStatusCode status) =>
        new(Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", (int)status >= 500 ? "Receiver" : "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", requestId));
}
