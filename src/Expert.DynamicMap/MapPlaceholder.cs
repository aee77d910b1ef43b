namespace Expert.DynamicMap;

internal static class MapPlaceholder;
