// Where the map opens when there is no basemap to fit yet: Funing county.
export const HOME_CENTER: [number, number] = [105.63, 23.62];
export const HOME_ZOOM = 9;
