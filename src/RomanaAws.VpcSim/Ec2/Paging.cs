using System.Globalization;
using System.Text;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>MaxResults/NextToken paging: the token is an opaque offset into the filtered, ordered result.</summary>
internal static class Paging
{
    public static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> all, QueryRequest request, int min, int max)
    {
        var maxResults = request.Int("MaxResults");
        var token = request.Get("NextToken");
        if (maxResults is { } m && (m < min || m > max))
        {
            throw new Ec2Exception("InvalidParameterValue", m < min
                ? $"Value ( {m} ) for parameter maxResults is invalid. Expecting a value greater than {min}."
                : $"Value ( {m} ) for parameter maxResults is invalid. Expecting a value less than {max}.");
        }

        var offset = 0;
        if (token is not null)
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new Ec2Exception("InvalidNextToken", $"The token '{token}' is invalid.");
            }
        }

        var size = maxResults ?? all.Count;
        var page = all.Skip(offset).Take(size).ToList();
        var next = offset + page.Count < all.Count && maxResults is not null
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)))
            : null;
        return (page, next);
    }
}
